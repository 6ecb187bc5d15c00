/**
 * The collections panel in the browser: opened from the daily panel, it
 * shows each set with its pieces (found in colour, missing greyed), a
 * progress bar and the decoration it grants; a complete set's Claim turns to
 * Granted and the decoration arrives in the village. In French and English,
 * at 1280×800 and 390×844 (touch).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETS } from "../../shared/collections.ts";
import { collectionPieces } from "../../server/db/schema.ts";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer({});
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe.each([
  { name: "laptop", viewport: { width: 1280, height: 800 }, touch: false, lang: "en" },
  { name: "phone", viewport: { width: 390, height: 844 }, touch: true, lang: "fr" },
])("the collections panel ($name)", ({ name, viewport, touch, lang }) => {
  it("shows sets and progress, and a complete set's claim grants its decoration", async () => {
    const who = await signUpAccount(server, name === "laptop" ? "Gatherer" : "Picker");
    const pieces = [...SETS.meadow.pieces, "pear", "lemon"].map((pieceId) => ({ playerId: who.player.id, pieceId, count: 1 }));
    await server.hameau.database.db.insert(collectionPieces).values(pieces);
    const context = await browser.browser.newContext({ viewport, hasTouch: touch, isMobile: touch });
    await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/?lang=${lang}`);
    await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });

    await page.locator("#level-badge").click();
    await page.locator("#quests [data-collections]").click();
    const meadow = page.locator('#collections [data-set="meadow"]');
    await expect.poll(() => meadow.getAttribute("data-state")).toBe("complete");
    expect(await page.locator('#collections [data-set="orchard"]').getAttribute("data-state")).toBe("open");
    expect(await page.locator('#collections [data-set="orchard"] .piece.found').count()).toBe(2);
    expect(await page.locator('#collections [data-set="orchard"] .quest-count').textContent()).toBe("2 / 4");
    expect(await page.locator("#collections-title").textContent()).toBe("Collections");
    expect(await page.locator('#collections [data-set="friendship"] small').textContent()).toBe(lang === "fr" ? "Trouvées en aidant un ami" : "Found when helping a friend");
    await screenshot(page, `collections-${name}-open`);

    await page.locator('#collections [data-claim-set="meadow"]').click();
    await expect.poll(() => meadow.getAttribute("data-state")).toBe("claimed");
    await expect.poll(() => page.evaluate(() => (window as unknown as { hameau: { state(): { items: Array<{ sprite?: string; kind: string }> } } }).hameau.state().items
      .some((i) => (i as { decorationId?: string }).decorationId === "ferris-wheel" || i.sprite === "ferris-wheel"))).toBe(true);
    await screenshot(page, `collections-${name}-claimed`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
