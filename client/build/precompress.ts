/**
 * Build step: a br and a gzip copy beside every compressible file of the built client
 * (`app-1a2b.js` → `app-1a2b.js.br`, `app-1a2b.js.gz`), at the best levels, so the server
 * sends them as they are (server/http/precompressed-static.ts) and never compresses them
 * per request. Files under 1 KB, and copies that would not be smaller, are skipped.
 * Runs after every other step of the build (the embed script included).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt|xml|map|webmanifest)$/i;
const MIN_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Writes the .br and .gz copies of the compressible files under `dir`; returns how many files got them. */
export async function precompressDir(dir: string): Promise<number> {
  const files = (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f));
  let done = 0;
  await Promise.all(files.map(async (file) => {
    const bytes = await fs.readFile(file);
    if (bytes.length < MIN_BYTES) return;
    const [br, gz] = await Promise.all([
      brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gzip(bytes, { level: 9 }),
    ]);
    if (br.length < bytes.length) await fs.writeFile(`${file}.br`, br);
    if (gz.length < bytes.length) await fs.writeFile(`${file}.gz`, gz);
    done += 1;
  }));
  return done;
}

export function precompress(): Plugin {
  let outDir = "";
  return {
    name: "hameau-precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: "post",
      sequential: true,
      async handler() {
        await precompressDir(outDir);
      },
    },
  };
}
