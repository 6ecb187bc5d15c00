/**
 * The village on a phone (390×844, touch) and at 200% zoom (640×800): nothing
 * of the page covers a tile of the village, so a tap meant for a crop acts on
 * the crop; the seed picker leaves the plot in sight; the decorations panel
 * shows every decoration; my own name tag shows; the header keeps Account and
 * the language switch in reach; the orange Add button's text is readable; the
 * pictures in the panels say what they show; the village can be played with
 * the keyboard alone. On a laptop the plot is fitted beside the toolbar, the
 * seed picker and the emotes.
 */
import { DECORATION_IDS, DECORATIONS } from "../../shared/decorations.ts";
import { inSeason } from "../../shared/seasons.ts";
import { existsSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Hooks {
  ready: boolean;
  state(): { mySessionId: string; items: Array<{ id: string; kind: string; x: number; y: number; growthMs: number }> };
  pointOf(x: number, y: number): { x: number; y: number } | null;
  pointOfNameTag(sessionId: string): { x: number; y: number } | null;
  drawn(): { avatars: Record<string, { bubble: string }>; keyTile: { x: number; y: number } | null } | null;
}
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const ZOOMED = { viewport: { width: 640, height: 800 } };
const LAPTOP = { viewport: { width: 1280, height: 720 } };

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  server = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A guest's own village in a new window of this kind. */
async function openVillage(options: typeof PHONE | typeof ZOOMED | typeof LAPTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const guest = await server.guest();
  const context = await browser.browser.newContext(options);
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), guest.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => (window as unknown as { hameau?: Hooks }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { context, page, errors };
}

/** The tiles whose centre on screen is not the game's canvas (something of the page covers them), as "x,y:what". */
const coveredTiles = (page: Page) => page.evaluate(([width, height]) => {
  const hooks = (window as unknown as { hameau: Hooks }).hameau;
  const covered: string[] = [];
  for (let y = 0; y < height!; y++) {
    for (let x = 0; x < width!; x++) {
      const p = hooks.pointOf(x, y)!;
      const hit = document.elementFromPoint(p.x, p.y);
      if (!(hit instanceof HTMLCanvasElement)) covered.push(`${x},${y}:${hit?.className || hit?.tagName}`);
    }
  }
  return covered;
}, [VILLAGE_WIDTH, VILLAGE_HEIGHT]);

/** Whether the element's centre is on screen and a tap there reaches it (nothing over it). */
const reachable = (page: Page, selector: string) => page.locator(selector).evaluate((el) => {
  const r = el.getBoundingClientRect();
  const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
  if (r.width === 0 || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const hit = document.elementFromPoint(x, y);
  return hit !== null && el.contains(hit);
});

/** Images with no text alternative: an empty alt only counts as decorative when its row says the same in words. */
const imagesWithoutText = (page: Page, scope: string) => page.locator(scope).evaluate((root) =>
  [...root.querySelectorAll("img")].filter((img) => {
    if (!img.hasAttribute("alt")) return true;
    if (img.alt.trim() !== "") return false;
    const row = img.closest("li, button, [role=radio], p") ?? img.parentElement!;
    return (row.getAttribute("aria-label") ?? row.textContent ?? "").trim() === "";
  }).map((img) => img.getAttribute("src")));

const hooks = (page: Page) => page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.state());

describe("the village on a phone, 390×844 with touch", () => {
  let phone: Awaited<ReturnType<typeof openVillage>>;
  let page: Page;
  beforeAll(async () => {
    phone = await openVillage(PHONE);
    page = phone.page;
  }, 30_000);
  afterAll(async () => {
    await phone?.context.close();
  });

  it("every tile is the village's, with or without the seed picker, and my name tag shows", async () => {
    expect.soft(await coveredTiles(page)).toEqual([]);
    const tag = await page.evaluate(() => {
      const h = (window as unknown as { hameau: Hooks }).hameau;
      const p = h.pointOfNameTag(h.state().mySessionId)!;
      return document.elementFromPoint(p.x, p.y) instanceof HTMLCanvasElement;
    });
    expect.soft(tag).toBe(true);
    await page.locator('[data-tool="plant"]').tap();
    await expect.poll(() => page.locator('[data-seed="wheat"]').isVisible(), { timeout: 5000 }).toBe(true);
    expect(await coveredTiles(page)).toEqual([]);
    await screenshot(page, "phone-01-seeds");
  }, 20_000);

  it("a tap on a crop in the bottom corner acts on the crop, not on an emote", async () => {
    const tap = async (x: number, y: number) => {
      const p = await page.evaluate(([tx, ty]) => (window as unknown as { hameau: Hooks }).hameau.pointOf(tx!, ty!)!, [x, y]);
      await page.touchscreen.tap(p.x, p.y);
    };
    // Where the emote row and the toolbar's second row used to lie.
    await page.locator('[data-tool="plant"]').tap();
    await page.locator('[data-seed="wheat"]').tap();
    await tap(1, 7);
    await expect.poll(async () => (await hooks(page)).items.find((i) => i.kind === "crop" && i.x === 1 && i.y === 7)?.growthMs, { timeout: 5000 }).toBe(0);
    await page.locator('[data-tool="water"]').tap();
    await tap(1, 7);
    await expect.poll(async () => (await hooks(page)).items.find((i) => i.kind === "crop" && i.x === 1 && i.y === 7)?.growthMs, { timeout: 5000 }).toBe(30_000);
    const me = (await hooks(page)).mySessionId;
    expect((await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()!)).avatars[me]?.bubble).toBe("");
  }, 20_000);

  it("the decorations panel shows every decoration on sale (the shop's and those in season), each reachable, and every picture has words", async () => {
    await page.locator('[data-panel="shop"]').tap();
    const onSale = DECORATION_IDS.filter((id) => DECORATIONS[id].source === "shop").length + inSeason(Date.now()).length;
    await expect.poll(() => page.locator("#decorations [data-buy]").count(), { timeout: 5000 }).toBe(onSale);
    const hidden: string[] = [];
    for (const id of await page.locator("#decorations [data-buy]").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.buy!))) {
      // Too many to show at once: the sheet scrolls, and each row must then be tappable (nothing over it).
      await page.locator(`#decorations [data-buy="${id}"]`).evaluate((el) => el.scrollIntoView({ block: "nearest" }));
      if (!(await reachable(page, `#decorations [data-buy="${id}"]`))) hidden.push(id);
    }
    expect(hidden).toEqual([]);
    await screenshot(page, "phone-02-decorations");
    expect(await imagesWithoutText(page, "#decorations")).toEqual([]);
    await page.locator("#decorations [data-close]").tap();
    await page.locator('[data-tool="plant"]').tap();
    expect(await imagesWithoutText(page, "#play-bar")).toEqual([]);
    expect(await imagesWithoutText(page, "#shop")).toEqual([]);
    expect(phone.errors).toEqual([]);
  }, 20_000);
});

describe("at 640×800 (200% zoom)", () => {
  let zoomed: Awaited<ReturnType<typeof openVillage>>;
  let page: Page;
  beforeAll(async () => {
    zoomed = await openVillage(ZOOMED);
    page = zoomed.page;
  }, 30_000);
  afterAll(async () => {
    await zoomed?.context.close();
  });

  it("the header keeps Account and the language switch in reach, wherever the page is scrolled", async () => {
    // Scrolled step by step: the header stays on top of the village's toolbar and panels.
    const blocked = await page.evaluate(() => {
      const out: string[] = [];
      for (let top = 0; top <= document.documentElement.scrollHeight - innerHeight; top += 20) {
        window.scrollTo(0, top);
        for (const id of ["open-account", "lang-fr", "lang-en"]) {
          const el = document.getElementById(id)!;
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (r.width === 0 || r.right > innerWidth || !hit || !el.contains(hit)) out.push(`${id}@${top}:${hit?.className}`);
        }
      }
      return out;
    });
    expect(blocked).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await coveredTiles(page)).toEqual([]);
    await page.locator("#lang-fr").click();
    await expect.poll(() => page.locator("html").getAttribute("lang"), { timeout: 5000 }).toBe("fr");
    await page.locator("#open-account").click();
    await expect.poll(() => page.locator("#account").evaluate((d: HTMLDialogElement) => d.open), { timeout: 5000 }).toBe(true);
  }, 20_000);

  it("the orange Add button's text has at least 4.5:1 contrast", async () => {
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("#shop button.add").count(), { timeout: 5000 }).toBeGreaterThan(0);
    const ratio = await page.locator("#shop button.add").first().evaluate((el) => {
      const style = getComputedStyle(el);
      const luminance = (color: string) => {
        const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
      return (light! + 0.05) / (dark! + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  }, 20_000);

  it("the village works with the keyboard: Tab reaches it, the arrows move a tile cursor, Enter plants and Space waters", async () => {
    const crop = async () => (await hooks(page)).items.find((i) => i.kind === "crop" && i.x === 1 && i.y === 7);
    const keyTile = async () => (await page.evaluate(() => (window as unknown as { hameau: Hooks }).hameau.drawn()!)).keyTile;
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await crop()).toBeUndefined();
    // After the header's last button, Tab goes into the village, which shows its focus.
    await page.locator("#lang-en").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement instanceof HTMLCanvasElement)).toBe(true);
    expect(await page.locator(".game").evaluate((el) => getComputedStyle(el, "::after").borderTopWidth)).toBe("3px");
    // The cursor starts on my avatar's tile, (5.5, 5) rounded; five left and two down.
    expect(await keyTile()).toEqual({ x: 6, y: 5 });
    for (const key of ["ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowDown", "ArrowDown"]) await page.keyboard.press(key);
    expect(await keyTile()).toEqual({ x: 1, y: 7 });
    expect(await page.locator("#village-tile-status").textContent()).toBe("Case 2, 8 : libre");
    // Plant (the tool chosen with the keyboard too), then water.
    await page.locator('[data-tool="plant"]').focus();
    await page.keyboard.press("Enter");
    await page.locator(".game canvas").focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await crop())?.growthMs, { timeout: 5000 }).toBe(0);
    await expect.poll(() => page.locator("#village-tile-status").textContent(), { timeout: 5000 }).toMatch(/^Case 2, 8 : Blé/);
    await page.locator('[data-tool="water"]').focus();
    await page.keyboard.press("Enter");
    await page.locator(".game canvas").focus();
    await page.keyboard.press(" ");
    await expect.poll(async () => (await crop())?.growthMs, { timeout: 5000 }).toBe(30_000);
    await screenshot(page, "zoomed-keyboard");
    expect(zoomed.errors).toEqual([]);
  }, 20_000);
});

describe("on a 1280×720 laptop", () => {
  it("the seed picker and the emotes over the village's edges leave every tile free (the plot fits beside them)", async () => {
    const { context, page, errors } = await openVillage(LAPTOP);
    expect(await coveredTiles(page)).toEqual([]);
    await page.locator('[data-tool="plant"]').click();
    await expect.poll(() => page.locator('[data-seed="wheat"]').isVisible(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => coveredTiles(page), { timeout: 3000 }).toEqual([]);
    await screenshot(page, "laptop-seeds");
    expect(errors).toEqual([]);
    await context.close();
  }, 30_000);
});
