/**
 * Content encodings: which one a client accepts (Accept-Encoding, with q-values), which
 * content types are worth compressing, and compressing a whole body with node:zlib.
 * Used by the compression middleware (compress-responses.ts), the cached catalog
 * (catalog-route.ts) and the pre-compressed static files (precompressed-static.ts).
 */
import { promisify } from "node:util";
import zlib from "node:zlib";

export type Encoding = "br" | "gzip";

/** Bodies smaller than this go as they are: compressing them saves less than its headers cost. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * The encoding to answer with: br if accepted, else gzip, else none. A coding with q=0 is
 * refused; `*` stands for any coding not named. Malformed entries are ignored.
 */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): Encoding | null {
  if (!acceptEncoding) return null;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : acceptEncoding;
  if (header.length > 1024) return null;
  const q = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (!Number.isFinite(weight)) continue;
    q.set(name, weight);
  }
  const weightOf = (name: string) => q.get(name) ?? q.get("*") ?? 0;
  const br = weightOf("br");
  const gzip = Math.max(weightOf("gzip"), q.get("x-gzip") ?? 0);
  if (br > 0 && br >= gzip) return "br";
  if (gzip > 0) return "gzip";
  return null;
}

/** JSON, HTML, text, JavaScript, CSS, SVG, XML: compressible. Never event streams (each event must go at once). */
export function compressibleType(contentType: string | number | string[] | undefined): boolean {
  if (typeof contentType !== "string") return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "text/event-stream") return false;
  return type.startsWith("text/") || type === "application/json" || type.endsWith("+json") || type === "application/javascript"
    || type === "image/svg+xml" || type === "application/xml" || type.endsWith("+xml") || type === "application/manifest+json";
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compresses a whole body off the event loop (zlib's thread pool). `level: "fast"` for
 * responses made per request; `"best"` for bodies compressed once and kept (cache, build).
 */
export async function compress(body: Buffer, encoding: Encoding, level: "fast" | "best" = "fast"): Promise<Buffer> {
  const brotliOptions = {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: level === "best" ? 11 : 4,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  };
  const gzipOptions = { level: level === "best" ? 9 : 6 };
  // A small body at the fast level takes tens of microseconds: at once, rather than queued
  // behind file reads in the thread pool.
  if (level === "fast" && body.length <= SYNC_MAX_BYTES) {
    return encoding === "br" ? zlib.brotliCompressSync(body, brotliOptions) : zlib.gzipSync(body, gzipOptions);
  }
  return encoding === "br" ? brotli(body, brotliOptions) : gzip(body, gzipOptions);
}

/** Bodies up to this size are compressed on the event loop (fast level): about 0.1 ms at most. */
const SYNC_MAX_BYTES = 16 * 1024;
