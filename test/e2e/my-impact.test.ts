/**
 * "Your impact" in Chromium, at 1280×800 and on a 390×844 touch phone: a
 * player who gave goats, whose NGO sent them to the field and posted news
 * with a photo, opens the panel from the header and sees the totals, the
 * project's stage bar and the photo (loaded, with real alt text); the monthly
 * e-mail is turned on from the panel's link, in the game's language, and
 * turned off by the mail's signed link without signing in. A new player sees
 * the calm empty state. Screenshots in test-output/.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogResponse, SessionResponse } from "../../shared/api.ts";
import { parisDate } from "../../shared/fund-trail.ts";
import type { PreferencesView } from "../../shared/sound.ts";
import type { MeResponse } from "../../shared/api.ts";
import { signUpAccount } from "../support/accounts.ts";
import { seriousViolations } from "../support/axe.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { impactWorld } from "../support/impact-world.ts";
import { impactDigests } from "../../server/db/schema.ts";
import { signDigestUnsubscribe } from "../../server/services/mail-links.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let catalog: CatalogResponse;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let donor: SessionResponse;
const w = impactWorld(() => server, () => catalog);

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npm run build` first (npm test does)");
  server = await startTestServer();
  catalog = (await server.api<CatalogResponse>("/api/catalog")).body;
  browser = await launchBrowser();
  donor = await signUpAccount(server, "Donor");
  await w.paid(donor, [["chevre", 2]]);
  await w.step("chevre", "sent_to_field", parisDate(Date.now()));
  await w.update("elevage-familial-burkina", { fr: "Les chèvres sont arrivées", en: "The goats have arrived" }, { photo: true });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SIZES = [
  { name: "laptop", width: 1280, height: 800, touch: false, lang: "en" },
  { name: "phone", width: 390, height: 844, touch: true, lang: "fr" },
] as const;

async function openGame(size: (typeof SIZES)[number], token: string): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: size.touch, isMobile: size.touch });
  await context.addInitScript((t) => localStorage.setItem("hameau.token", t), token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/?lang=${size.lang}`);
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { page, errors, close: () => context.close() };
}

/** Taps on a phone, clicks elsewhere; the control must be inside the viewport. */
async function press(page: Page, selector: string, touch: boolean) {
  const target = page.locator(selector);
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, selector).toBe(true);
  if (touch) await target.tap();
  else await target.click();
}

describe("your impact", () => {
  for (const size of SIZES) {
    it(`shows a donor's gifts, their stage and the NGO's photo, and turns the monthly e-mail on (${size.name})`, async () => {
      const { page, errors, close } = await openGame(size, donor.token);
      await press(page, "#open-impact", size.touch);
      const dialog = page.locator("#impact");
      await expect.poll(() => dialog.locator("[data-total=gifts] strong").textContent(), { timeout: 5_000 }).toBe("2");
      const fr = size.lang === "fr";
      expect(await dialog.locator("#impact-title").textContent()).toBe(fr ? "Votre impact" : "Your impact");
      const project = dialog.locator(".impact-project").first();
      expect(await project.textContent()).toContain(fr ? "Élevage familial au Burkina Faso" : "Family livestock in Burkina Faso");
      expect(await project.getAttribute("data-stage")).toBe("sent_to_field");
      expect(await project.locator("[role=progressbar]").getAttribute("aria-valuenow")).toBe("50");
      expect(await project.locator("[aria-current=step]").textContent()).toBe(fr ? "Envoyé sur le terrain" : "Sent to the field");
      const photo = dialog.locator("#impact-photos img").first();
      await photo.scrollIntoViewIfNeeded();
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 5_000 }).toBe(640);
      expect(await photo.getAttribute("alt")).toBe(fr
        ? "Photo : Les chèvres sont arrivées (Élevage familial au Burkina Faso)"
        : "Photo: The goats have arrived (Family livestock in Burkina Faso)");
      await dialog.locator(".receipts-body").evaluate((el) => el.scrollTo({ top: 0 }));
      await screenshot(page, `my-impact-${size.name}`);
      expect(await seriousViolations(page, "#impact")).toEqual([]);
      await photo.scrollIntoViewIfNeeded();
      await screenshot(page, `my-impact-${size.name}-photos`);

      // The monthly e-mail: the panel's link leads to the privacy switch, in the game's language.
      const before = (await server.api<MeResponse>("/api/me", { token: donor.token })).body.settings.impactDigest;
      await press(page, "#impact .impact-digest-link", size.touch);
      const toggle = page.locator("#privacy-digest");
      await expect.poll(() => toggle.isEnabled(), { timeout: 5_000 }).toBe(true);
      expect(await toggle.isChecked()).toBe(before);
      await press(page, "label:has(#privacy-digest) .switch-track", size.touch);
      await expect.poll(async () => (await server.api<MeResponse>("/api/me", { token: donor.token })).body.settings.impactDigest, { timeout: 5_000 })
        .toBe(!before);
      if (!before) expect((await server.api<PreferencesView>("/api/me/preferences", { token: donor.token })).body.mailLocale).toBe(size.lang);
      await screenshot(page, `my-impact-${size.name}-privacy`);
      if (!size.touch) {
        // Playing in another language: the digest follows.
        await page.keyboard.press("Escape");
        await press(page, "#lang-fr", false);
        await expect.poll(async () => (await server.api<PreferencesView>("/api/me/preferences", { token: donor.token })).body.mailLocale, { timeout: 5_000 })
          .toBe("fr");
      }
      expect(errors).toEqual([]);
      await close();
    }, 60_000);
  }

  for (const size of SIZES) {
    it(`unsubscribes from the monthly e-mail with its link, without signing in (${size.name})`, async () => {
      const reader = await signUpAccount(server, "Reader");
      expect((await server.api("/api/account/settings", { method: "PATCH", token: reader.token, body: { impactDigest: true } })).status).toBe(200);
      const db = server.hameau.database.db;
      await db.insert(impactDigests).values({ playerId: reader.player.id, month: "2026-11", status: "sent", outcome: "queued" });
      const query = await signDigestUnsubscribe(db, { playerId: reader.player.id, month: "2026-11" });
      const context = await browser.browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: size.touch, isMobile: size.touch });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}/mail/unsubscribe?${query}&lang=${size.lang}`);
      await screenshot(page, `unsubscribe-${size.name}`);
      await press(page, "form button[type=submit]", size.touch);
      await expect.poll(() => page.locator("h1").textContent(), { timeout: 5_000 }).toBe(size.lang === "fr" ? "C'est fait" : "Done");
      await screenshot(page, `unsubscribe-${size.name}-done`);
      expect((await server.api<MeResponse>("/api/me", { token: reader.token })).body.settings.impactDigest).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    }, 30_000);
  }

  it("greets a player who has not given yet without pushing them (phone)", async () => {
    const guest = await server.guest();
    const { page, errors, close } = await openGame(SIZES[1], guest.token);
    await press(page, "#open-impact", true);
    const empty = page.locator("#impact .impact-empty");
    await expect.poll(() => empty.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await empty.textContent()).toContain("Votre impact poussera ici");
    expect(await page.locator("#impact").textContent()).not.toMatch(/€|donner|don\b/i);
    await screenshot(page, "my-impact-phone-empty");
    expect(await seriousViolations(page, "#impact")).toEqual([]);
    await press(page, "#impact [data-impact-back]", true);
    await expect.poll(() => page.locator("#impact").evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);
});
