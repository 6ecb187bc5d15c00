/**
 * Turns a card's SVG into its PNG (sharp), once per content version: the
 * result is kept in an LRU cache, and concurrent requests for a card being
 * rendered wait for that one rendering. Sprites come from assets/sprites.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { spriteName } from "../pages/page-parts.ts";
import { LruCache } from "./card-cache.ts";
import type { SpriteSource } from "./card-svg.ts";

export interface CardRenderer {
  sprites: SpriteSource;
  /** The PNG of this card version, rendered by `svg()` only if not cached. */
  png(key: string, svg: () => string): Promise<Buffer>;
  /** Cards rendered since start (tests look at it to see the cache work). */
  readonly rendered: number;
}

export function createCardRenderer(opts: { assetsDir: string; maxCards?: number }): CardRenderer {
  const cache = new LruCache<Buffer>(opts.maxCards ?? 200);
  const inFlight = new Map<string, Promise<Buffer>>();
  const spriteCache = new Map<string, Buffer | null>();
  let rendered = 0;

  const sprites: SpriteSource = (name) => {
    const safe = spriteName(name);
    if (!spriteCache.has(safe)) {
      let svg: Buffer | null = null;
      try {
        svg = readFileSync(path.join(opts.assetsDir, "sprites", `${safe}.svg`));
      } catch {
        svg = null;
      }
      spriteCache.set(safe, svg);
    }
    return spriteCache.get(safe)!;
  };

  return {
    sprites,
    get rendered() {
      return rendered;
    },
    async png(key, svg) {
      const hit = cache.get(key);
      if (hit) return hit;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const job = (async () => {
        const out = await sharp(Buffer.from(svg()), { density: 72 }).png({ compressionLevel: 8 }).toBuffer();
        rendered++;
        cache.set(key, out);
        return out;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, job);
      return job;
    },
  };
}
