/**
 * Sound in the browser: muted on a first visit, no AudioContext made (let
 * alone running) and no audio code loaded before the player's first gesture,
 * the speaker toggle turning it on (the context then runs and effects play,
 * a planting's among them), the choice kept across a reload and on another
 * device of the same player (the server keeps it), turned off again with the
 * keyboard; the toggle named and reachable on a phone.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { PreferencesView } from "../../shared/sound.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Hooks {
  ready: boolean;
  pointOf(x: number, y: number): { x: number; y: number } | null;
  state(): { items: Array<{ kind: string; x: number; y: number }> };
  sound: { isOn: boolean; audioState: string; played: string[] };
}
type Watched = Window & { hameau: Hooks; audioContexts: AudioContext[] };

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let guest: SessionResponse;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
  guest = await server.guest();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A window of this size for the guest, every AudioContext the page makes counted (window.audioContexts). */
async function open(options: Parameters<typeof browser.browser.newContext>[0], lang: "en" | "fr"): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.browser.newContext(options);
  await context.addInitScript((token) => {
    localStorage.setItem("hameau.token", token);
    const Native = window.AudioContext;
    const made: AudioContext[] = [];
    (window as unknown as { audioContexts: AudioContext[] }).audioContexts = made;
    window.AudioContext = class extends Native {
      constructor(...args: ConstructorParameters<typeof AudioContext>) {
        super(...args);
        made.push(this);
      }
    };
  }, guest.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await load(page, lang);
  return { context, page, errors };
}

async function load(page: Page, lang: "en" | "fr"): Promise<void> {
  await page.goto(`${server.url}/?lang=${lang}`);
  await page.waitForFunction(() => (window as unknown as Watched).hameau?.ready === true, undefined, { timeout: 20_000 });
}

/** What the page's audio is: each context's state, whether the toggle says on, and whether the audio code was fetched. */
const audio = (page: Page) => page.evaluate(() => {
  const w = window as unknown as Watched;
  return {
    contexts: w.audioContexts.map((c) => c.state),
    pressed: document.querySelector("#sound-toggle")!.getAttribute("aria-pressed"),
    on: w.hameau.sound.isOn,
    engineLoaded: performance.getEntriesByType("resource").some((e) => /\/engine-[\w-]+\.js$/.test(e.name)),
    played: [...w.hameau.sound.played],
  };
});

const saved = async () => (await server.api<PreferencesView>("/api/me/preferences", { token: guest.token })).body.soundOn;

describe("sound", () => {
  let laptop: Awaited<ReturnType<typeof open>>;
  afterAll(async () => {
    await laptop?.context.close();
  });

  it("is muted on a first visit, and makes nothing before a gesture nor after one while muted", async () => {
    laptop = await open({ viewport: { width: 1280, height: 800 } }, "en");
    const { page } = laptop;
    // Let the preference arrive from the server before judging.
    await page.waitForTimeout(500);
    expect(await audio(page)).toMatchObject({ contexts: [], pressed: "false", on: false, engineLoaded: false });
    // A gesture with sound off: still no audio at all.
    await page.locator("#shop-title").click();
    await page.keyboard.press("Shift");
    await page.waitForTimeout(300);
    expect(await audio(page)).toMatchObject({ contexts: [], pressed: "false", engineLoaded: false });
    expect(await saved()).toBe(false);
  }, 40_000);

  it("turns on from the speaker button: the audio code loads, the context runs, effects play, the choice is saved", async () => {
    const { page } = laptop;
    const toggle = page.locator("#sound-toggle");
    expect(await toggle.getAttribute("title")).toBe("Sound is off: turn it on");
    await toggle.click();
    await expect.poll(async () => (await audio(page)).contexts, { timeout: 5000 }).toEqual(["running"]);
    const now = await audio(page);
    expect(now).toMatchObject({ pressed: "true", on: true, engineLoaded: true });
    await expect.poll(async () => (await audio(page)).played, { timeout: 5000 }).toContain("click");
    await expect.poll(saved, { timeout: 5000 }).toBe(true);
    expect(await toggle.getAttribute("title")).toBe("Sound is on: turn it off");

    // A planting is heard once the server confirms it.
    await page.locator('[data-tool="plant"]').click();
    await page.locator('[data-seed="wheat"]').click();
    const tile = await page.evaluate(() => (window as unknown as Watched).hameau.pointOf(1, 7)!);
    await page.mouse.click(tile.x, tile.y);
    await expect.poll(async () => (await audio(page)).played, { timeout: 5000 }).toContain("plant");
    await screenshot(page, "sound-laptop-on");
  }, 40_000);

  it("stays on after a reload, still silent until the next gesture", async () => {
    const { page } = laptop;
    await load(page, "en");
    await page.waitForTimeout(300);
    expect(await audio(page)).toMatchObject({ contexts: [], pressed: "true", on: true, engineLoaded: false });
    await page.locator("#shop-title").click();
    await expect.poll(async () => (await audio(page)).contexts, { timeout: 5000 }).toEqual(["running"]);
    expect(laptop.errors).toEqual([]);
  }, 40_000);

  it("follows the player to another device (a phone, in French), and turns off with the keyboard", async () => {
    const phone = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, "fr");
    try {
      const { page } = phone;
      // Nothing of this device was kept: the server says on.
      await expect.poll(async () => (await audio(page)).pressed, { timeout: 5000 }).toBe("true");
      expect((await audio(page)).contexts).toEqual([]);
      const toggle = page.locator("#sound-toggle");
      expect(await toggle.getAttribute("title")).toBe("Le son est activé : le couper");
      expect(await page.getByRole("button", { name: "Son", exact: true }).count()).toBe(1);
      // On screen, and a tap at its centre reaches it.
      const reachable = await toggle.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.width >= 24 && r.height >= 24 && r.right <= innerWidth && r.bottom <= innerHeight && hit !== null && el.contains(hit);
      });
      expect(reachable).toBe(true);
      await screenshot(page, "sound-phone-on");
      // The keyboard alone: focus it and press Enter (a key press is a gesture too).
      await toggle.focus();
      await page.keyboard.press("Enter");
      await expect.poll(async () => (await audio(page)).pressed, { timeout: 5000 }).toBe("false");
      await expect.poll(saved, { timeout: 5000 }).toBe(false);
      // Turned off after its gesture: any context made is suspended, nothing runs.
      expect((await audio(page)).contexts.filter((s) => s === "running")).toEqual([]);
      await screenshot(page, "sound-phone-off");
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 40_000);
});
