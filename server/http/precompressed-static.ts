/**
 * Static files in br or gzip when the client accepts it.
 *
 * - A file with a pre-compressed sibling (`app-1a2b.js.br`, `app-1a2b.js.gz`, written by the
 *   client build: client/build/precompress.ts) is answered with that sibling, its own type,
 *   `Content-Encoding` and `Vary: Accept-Encoding`.
 * - Otherwise a compressible file (SVG, JSON, CSS, JS, HTML) of 1 KB to 512 KB is compressed
 *   once and kept in memory until it changes on disk (looked at every 2 s: the art in assets/, a client built without
 *   the step).
 * - Anything else falls through to express.static, which serves the file as it is.
 *
 * Hashed files (under `immutablePrefix`) are cached for a year, `immutable`; others for `maxAge`.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";
import { etagMatches } from "./catalog-route.ts";
import { COMPRESS_THRESHOLD_BYTES, chooseEncoding, compress, compressibleType, type Encoding } from "./content-encoding.ts";

const SUFFIX: Record<Encoding, string> = { br: ".br", gzip: ".gz" };
const MAX_IN_MEMORY_BYTES = 512 * 1024;
const MAX_ENTRIES = 2000;
const YEAR_SECONDS = 365 * 24 * 3600;

/** The compressible types this serves (anything else goes to express.static). */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8", ".json": "application/json; charset=utf-8", ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
};

/** The type of a file this module would compress, or null. */
export function compressibleFileType(file: string): string | null {
  const type = TYPES[path.extname(file).toLowerCase()];
  return type && compressibleType(type) ? type : null;
}

interface Kept { mtimeMs: number; size: number; etag: string; bodies: Partial<Record<Encoding, Buffer>>; bytes: Buffer }

/** How long what was seen on disk is trusted before it is looked at again. */
const RECHECK_MS = 2000;

export function precompressedStatic(root: string, opts: { maxAgeSeconds: number; immutablePrefix?: string }): RequestHandler {
  const rootDir = path.resolve(root);
  const serve = encodedFileServer();
  const cacheControl = (urlPath: string) =>
    opts.immutablePrefix && urlPath.startsWith(opts.immutablePrefix) ? `public, max-age=${YEAR_SECONDS}, immutable` : `public, max-age=${opts.maxAgeSeconds}`;
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (relative.includes("\0") || relative.endsWith(".br") || relative.endsWith(".gz")) return next();
    const file = path.join(rootDir, path.normalize(relative));
    if (!file.startsWith(rootDir + path.sep)) return next();
    serve(req, res, next, file, cacheControl(req.path));
  };
}

type Serve = (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], next: Parameters<RequestHandler>[2], file: string, cacheControl: string) => void;

/** Answers with `file` in the client's encoding if it can, else calls next() (the caller sends it as it is). */
export function encodedFileServer(): Serve {
  const kept = new Map<string, Kept>();
  /** What the disk held, looked at again after RECHECK_MS: the pre-compressed sibling, or the file itself. */
  const seen = new Map<string, { at: number; sibling: boolean; stat: { mtimeMs: number; size: number } | null }>();
  const look = async (file: string, sibling: string) => {
    const known = seen.get(sibling);
    if (known && Date.now() - known.at < RECHECK_MS) return known;
    const siblingStat = await fs.stat(sibling).catch(() => null);
    const stat = siblingStat?.isFile() ? null : await fs.stat(file).catch(() => null);
    const found = { at: Date.now(), sibling: Boolean(siblingStat?.isFile()), stat: stat?.isFile() ? { mtimeMs: stat.mtimeMs, size: stat.size } : null };
    if (seen.size >= MAX_ENTRIES) seen.delete(seen.keys().next().value!);
    seen.set(sibling, found);
    return found;
  };
  return (req, res, next, file, cacheControl) => {
    const type = compressibleFileType(file);
    if (!type) return next();
    res.vary("Accept-Encoding");
    const encoding = chooseEncoding(req.headers["accept-encoding"]);
    if (!encoding) return next();
    void (async () => {
      const sibling = file + SUFFIX[encoding];
      const found = await look(file, sibling);
      if (found.sibling) {
        res.set({ "content-type": type, "content-encoding": encoding });
        res.sendFile(sibling, { headers: { "cache-control": cacheControl }, cacheControl: false }, (err) => err && next(err));
        return;
      }
      const original = found.stat;
      if (!original || original.size < COMPRESS_THRESHOLD_BYTES || original.size > MAX_IN_MEMORY_BYTES) return next();
      let entry = kept.get(file);
      if (!entry || entry.mtimeMs !== original.mtimeMs || entry.size !== original.size) {
        const bytes = await fs.readFile(file);
        entry = { mtimeMs: original.mtimeMs, size: original.size, etag: `W/"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`, bodies: {}, bytes };
        if (kept.size >= MAX_ENTRIES) kept.delete(kept.keys().next().value!);
        kept.set(file, entry);
      }
      const body = (entry.bodies[encoding] ??= await compress(entry.bytes, encoding));
      res.set({ "cache-control": cacheControl, etag: entry.etag, "last-modified": new Date(original.mtimeMs).toUTCString() });
      if (etagMatches(req.headers["if-none-match"], entry.etag)) return void res.status(304).end();
      res.set({ "content-type": type, "content-encoding": encoding, "content-length": String(body.length) });
      res.end(body);
    })().catch(next);
  };
}

/** Cache-Control for files express.static serves as they are: a year and immutable for hashed ones. */
export function staticCacheControl(opts: { maxAgeSeconds: number; immutablePrefix?: string }) {
  return (res: { req: { path: string }; setHeader(name: string, value: string): unknown }) => {
    const hashed = opts.immutablePrefix && res.req.path.startsWith(opts.immutablePrefix);
    res.setHeader("cache-control", hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : `public, max-age=${opts.maxAgeSeconds}`);
  };
}
