/**
 * Compresses whole responses (JSON, HTML, text, SVG…) of at least 1 KB with br or gzip,
 * by the request's Accept-Encoding, off the event loop.
 *
 * Only a response sent in one piece (`res.end(body)`, which is what `res.json` and `res.send`
 * do) is compressed. A response that writes before it ends (a file streamed from disk, the
 * live campaign feed's Server-Sent Events, a CSV written row by row) goes as it is, so every
 * event of a stream still reaches the client at once. Never compressed either: a response
 * that already has a Content-Encoding (the cached catalog, pre-compressed files), one whose
 * Cache-Control says no-transform, HEAD, 204 and 304, and the Stripe webhooks (`skip`).
 */
import type { RequestHandler } from "express";
import { COMPRESS_THRESHOLD_BYTES, chooseEncoding, compress, compressibleType } from "./content-encoding.ts";

type End = (chunk?: unknown, encoding?: unknown, cb?: unknown) => unknown;

export function compressResponses(opts: { skip?: (path: string) => boolean; threshold?: number } = {}): RequestHandler {
  const threshold = opts.threshold ?? COMPRESS_THRESHOLD_BYTES;
  return (req, res, next) => {
    if (req.method === "HEAD" || opts.skip?.(req.path)) return next();
    const encoding = chooseEncoding(req.headers["accept-encoding"]);
    const originalWrite = res.write;
    const originalEnd = res.end as unknown as End;
    let streamed = false;
    res.write = function write(this: typeof res, ...args: unknown[]) {
      streamed = true;
      return (originalWrite as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof res.write;
    res.end = function end(this: typeof res, chunk?: unknown, enc?: unknown, cb?: unknown) {
      const passThrough = () => originalEnd.call(this, chunk, enc, cb);
      if (streamed || this.headersSent || !compressibleType(this.getHeader("content-type"))) return passThrough();
      if (this.statusCode === 204 || this.statusCode === 304 || this.statusCode < 200) return passThrough();
      if (/\bno-transform\b/i.test(String(this.getHeader("cache-control") ?? ""))) return passThrough();
      if (this.getHeader("content-encoding")) return passThrough();
      this.vary("Accept-Encoding");
      if (!encoding || typeof chunk === "function" || chunk === undefined || chunk === null) return passThrough();
      const body = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof enc === "string" ? (enc as BufferEncoding) : "utf8") : null;
      if (!body || body.length < threshold) return passThrough();
      const done = typeof enc === "function" ? enc : cb;
      compress(body, encoding).then(
        (compressed) => {
          if (this.headersSent || this.destroyed) return void originalEnd.call(this, undefined, done);
          this.setHeader("content-encoding", encoding);
          this.setHeader("content-length", compressed.length);
          originalEnd.call(this, compressed, done);
        },
        () => void originalEnd.call(this, body, done),
      );
      return this;
    } as typeof res.end;
    next();
  };
}
