/**
 * First-load benchmark (run by hand; not a test; prints figures, asserts no timings).
 *
 *   npx vite build && npm run bench:first-load -- [--runs N] [--width W --height H]
 *
 * It builds nothing: it starts the REAL server (a child process, on a
 * throwaway database on TEST_DATABASE_URL's PostgreSQL, or PGlite in a temp
 * folder with --pglite) on the
 * built client in dist/client, and a bare Phaser page (phaser.min.js drawing
 * one image) served by a small static server. Each page is opened cold (a
 * fresh browser context: no cache, no storage) N times, the two interleaved,
 * after one warm-up each that is not counted. It prints the medians of:
 * - time to the first village frame: performance.now() when the first frame
 *   with the village's state in it was drawn (window.hameau.firstFrameAt,
 *   set on Phaser's post-render after the room synced); for the bare page,
 *   the first frame drawn with its image;
 * - requests made before that frame (the document and every resource the
 *   Resource Timing API lists as started before it; websockets not counted);
 * - bytes of the JS and CSS loaded before that frame, gzipped (level 9);
 * and the ratios to the bare page.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import express from "express";
import sharp from "sharp";
import { launchBrowser } from "../support/browser.ts";
import { spawnServer } from "../support/child-server.ts";
import { throwawayPostgres } from "./support/databases.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    width: { type: "string", default: "1280" },
    height: { type: "string", default: "800" },
    pglite: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log("npm run bench:first-load -- [--runs N] [--width 1280 --height 800] [--pglite]");
  process.exit(0);
}
const runs = Number(args.runs);
const viewport = { width: Number(args.width), height: Number(args.height) };
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${args.runs}`);
if (!existsSync(path.join(ROOT, "dist/client/index.html"))) {
  console.error("dist/client is missing: run `npx vite build` first (this benchmark builds nothing)");
  process.exit(2);
}

interface Sample {
  firstFrameMs: number;
  requests: number;
  jsCssGzipBytes: number;
  svgRequests: number;
}

/** The bare page: Phaser from its own minified file, drawing one image. */
async function bareFolder(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hameau-bare-phaser-"));
  copyFileSync(path.join(ROOT, "node_modules/phaser/dist/phaser.min.js"), path.join(dir, "phaser.min.js"));
  await sharp(path.join(ROOT, "assets/sprites/house.svg"), { density: 300 }).resize(128, 128, { fit: "contain", background: "#0000" }).png().toFile(path.join(dir, "house.png"));
  writeFileSync(path.join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>bare</title>
<style>html,body{margin:0;height:100%}#game{width:100%;height:100%}</style></head>
<body><div id="game"></div><script src="/phaser.min.js"></script><script>
window.bare = { firstFrameAt: null };
new Phaser.Game({ type: Phaser.WEBGL, parent: "game", backgroundColor: "#b9d7a0", banner: false, audio: { noAudio: true },
  scale: { mode: Phaser.Scale.RESIZE, width: "100%", height: "100%" },
  scene: { preload() { this.load.image("house", "/house.png"); },
    create() { this.add.image(this.scale.width / 2, this.scale.height / 2, "house");
      this.game.events.once(Phaser.Core.Events.POST_RENDER, () => (window.bare.firstFrameAt = performance.now())); } } });
</script></body></html>`);
  return dir;
}

async function serveFolder(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(express.static(dir));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const gzipped = new Map<string, number>();
async function gzipSize(url: string): Promise<number> {
  const known = gzipped.get(url);
  if (known !== undefined) return known;
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  const size = gzipSync(body, { level: 9 }).length;
  gzipped.set(url, size);
  return size;
}

async function measure(browser: Awaited<ReturnType<typeof launchBrowser>>["browser"], url: string, hook: "hameau" | "bare"): Promise<Sample> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit" });
    const handle = await page.waitForFunction((name) => (window as unknown as Record<string, { firstFrameAt?: number | null } | undefined>)[name]?.firstFrameAt, hook, { timeout: 60_000, polling: 50 });
    const firstFrameMs = Number(await handle.jsonValue());
    const resources = await page.evaluate((before) =>
      performance.getEntriesByType("resource").filter((r) => r.startTime <= before).map((r) => r.name), firstFrameMs);
    let jsCss = 0;
    for (const name of resources) if (/\.(js|css)(\?|$)/.test(new URL(name).pathname)) jsCss += await gzipSize(name);
    return {
      firstFrameMs, requests: resources.length + 1, jsCssGzipBytes: jsCss,
      svgRequests: resources.filter((r) => new URL(r).pathname.endsWith(".svg")).length,
    };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hameau-first-load-"));
  const bareDir = await bareFolder();
  const database = args.pglite ? undefined : await throwawayPostgres();
  const hameau = await spawnServer({ DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) });
  const bare = await serveFolder(bareDir);
  const browser = await launchBrowser();
  const game = `${hameau.url}/?lang=en`;
  const samples = { game: [] as Sample[], bare: [] as Sample[] };
  try {
    await measure(browser.browser, game, "hameau");
    await measure(browser.browser, bare.url, "bare");
    for (let i = 0; i < runs; i++) {
      samples.game.push(await measure(browser.browser, game, "hameau"));
      samples.bare.push(await measure(browser.browser, bare.url, "bare"));
      process.stderr.write(`run ${i + 1}/${runs}: village ${Math.round(samples.game.at(-1)!.firstFrameMs)} ms, bare ${Math.round(samples.bare.at(-1)!.firstFrameMs)} ms\n`);
    }
  } finally {
    await browser.close();
    await bare.close();
    await hameau.kill();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
  const m = (list: Sample[], k: keyof Sample) => median(list.map((s) => s[k]));
  const rows: Array<[string, keyof Sample, (v: number) => string]> = [
    ["first village frame (ms)", "firstFrameMs", (v) => v.toFixed(0)],
    ["requests before it", "requests", (v) => v.toFixed(0)],
    ["  of which SVG", "svgRequests", (v) => v.toFixed(0)],
    ["JS+CSS before it (KB gzip -9)", "jsCssGzipBytes", (v) => (v / 1024).toFixed(1)],
  ];
  console.log(`\nFirst load, cold, ${viewport.width}x${viewport.height}, median of ${runs} (${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${args.pglite ? "PGlite" : "PostgreSQL"})`);
  console.log(`${"".padEnd(32)}${"village".padStart(10)}${"bare".padStart(10)}${"ratio".padStart(8)}`);
  for (const [label, key, fmt] of rows) {
    const g = m(samples.game, key);
    const b = m(samples.bare, key);
    console.log(`${label.padEnd(32)}${fmt(g).padStart(10)}${fmt(b).padStart(10)}${(b ? (g / b).toFixed(2) : "-").padStart(8)}`);
  }
}

await main();
