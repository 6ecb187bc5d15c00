/**
 * What only the browser shows of the content over levels and the seasons:
 * at level 1 the seed picker shows a locked crop with its level, and the
 * decorations shop lists the seasonal decorations in season first, marked
 * Limited with a countdown until they leave, and a locked decoration with its
 * level. The server's clock and the page's clock are both set to 5 December
 * (noon UTC), in the winter season; at 1280×800 and 390×844 (touch).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAccount } from "../support/accounts.ts";
import { launchBrowser, screenshot, watchErrors } from "../support/browser.ts";
import { TestClock } from "../support/clock.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const clock = new TestClock();

/** Noon UTC on the next 5 December. */
function nextFifthOfDecember(now: number): number {
  const year = new Date(now).getUTCFullYear();
  const thisYear = Date.parse(`${year}-12-05T12:00:00Z`);
  return thisYear > now ? thisYear : Date.parse(`${year + 1}-12-05T12:00:00Z`);
}

beforeAll(async () => {
  if (!existsSync(path.resolve("dist/client/index.html"))) throw new Error("dist/client is missing: run `npx vite build` first (npm test does)");
  clock.advance(nextFifthOfDecember(clock.now()) - clock.now());
  server = await startTestServer({ now: clock.now });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(viewport: { width: number; height: number }, touch: boolean): Promise<{ page: Page; errors: string[] }> {
  const who = await signUpAccount(server, touch ? "Phone" : "Laptop");
  const context = await browser.browser.newContext({ viewport, hasTouch: touch, isMobile: touch });
  await context.clock.install({ time: clock.now() });
  await context.clock.resume();
  await context.addInitScript((token) => localStorage.setItem("hameau.token", token), who.token);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + "/?lang=en");
  await page.waitForFunction(() => (window as unknown as { hameau?: { ready: boolean } }).hameau?.ready === true, undefined, { timeout: 20_000 });
  return { page, errors };
}

describe.each([
  { name: "laptop", viewport: { width: 1280, height: 800 }, touch: false },
  { name: "phone", viewport: { width: 390, height: 844 }, touch: true },
])("locked content and the seasonal shop ($name)", ({ name, viewport, touch }) => {
  it("shows a locked seed with its level, and winter decorations with a countdown", async () => {
    const { page, errors } = await open(viewport, touch);
    await page.locator('[data-tool="plant"]').click();
    const tomato = page.locator('.seeds [data-seed="tomato"]');
    await expect.poll(() => tomato.getAttribute("aria-disabled")).toBe("true");
    expect(await tomato.textContent()).toContain("Level 2");
    expect(await page.locator('.seeds [data-seed="watermelon"]').textContent()).toContain("Level 8");
    expect(await page.locator('.seeds [data-seed="wheat"]').getAttribute("aria-disabled")).toBeNull();
    await screenshot(page, `shop-levels-${name}-seeds`);

    await page.locator('[data-panel="shop"]').click();
    const rows = page.locator("#decorations [data-decoration]");
    await expect.poll(() => rows.count()).toBeGreaterThan(15);
    // In season on 5 December: the Christmas tree (until 6 January) and the snowman, first, with their countdowns.
    const first = await rows.evaluateAll((els) => els.slice(0, 2).map((e) => (e as HTMLElement).dataset.decoration).sort());
    expect(first).toEqual(["christmas-tree", "snowman"]);
    const tree = page.locator('#decorations [data-decoration="christmas-tree"]');
    expect(await tree.textContent()).toMatch(/Limited.*Leaves in 32 d 11 h/);
    expect(await page.locator('#decorations [data-decoration="ghost"]').count()).toBe(0);
    expect(await page.locator('#decorations [data-decoration="ferris-wheel"]').count()).toBe(0);
    const castle = page.locator('#decorations [data-buy="castle"]');
    expect(await castle.isDisabled()).toBe(true);
    expect(await castle.textContent()).toBe("Level 10");
    await screenshot(page, `shop-levels-${name}-shop`);
    await tree.scrollIntoViewIfNeeded();
    expect(errors).toEqual([]);
  });
});
