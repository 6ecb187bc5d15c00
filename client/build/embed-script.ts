/**
 * Build step: /embed/live.js, the standalone live-campaign script
 * (client/embed/live.ts) that other websites load with a plain
 * `<script src>`. It must be one classic script with nothing to import, so it
 * is built on its own as an IIFE (a second, small Vite build after the
 * pages), under a stable name the snippets can point to.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "vite";

const entry = fileURLToPath(new URL("../embed/live.ts", import.meta.url));

export function embedScript(): Plugin {
  let outDir = "";
  return {
    name: "hameau-embed-script",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: "warn",
        publicDir: false,
        build: {
          outDir: path.join(outDir, "embed"),
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: false,
          minify: true,
          target: "es2019",
          lib: { entry, formats: ["iife"], name: "hameauLiveScript", fileName: () => "live.js" },
        },
      });
    },
  };
}
