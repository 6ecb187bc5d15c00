/**
 * Vite builds the browser client (client/ → dist/client) and Vitest runs the
 * tests from the repository root. The art lives in assets/ and is served by
 * the game server at /assets, so Vite's own output goes to /static instead.
 * Two pages are built: the game (index.html) and the NGO console (console.html),
 * and one standalone script, /embed/live.js (client/build/embed-script.ts).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { embedScript } from "./client/build/embed-script.ts";
import { favicon } from "./client/build/favicon.ts";
import { spriteAtlas } from "./client/build/sprite-atlas.ts";
import { precompress } from "./client/build/precompress.ts";

const repoRoot = fileURLToPath(new URL(".", import.meta.url));
const clientDir = fileURLToPath(new URL("./client/", import.meta.url));
/** The game server the dev server proxies to (npm run dev:server). */
const gameServer = process.env.HAMEAU_DEV_SERVER ?? "http://localhost:2567";

export default defineConfig({
  root: "client",
  // precompress last: it writes the .br and .gz copies of everything built before it.
  plugins: [favicon(), embedScript(), spriteAtlas(fileURLToPath(new URL("./assets/", import.meta.url))), precompress()],
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    assetsDir: "static",
    // Phaser alone is ~1.4 MB minified: one chunk for it (cached across
    // releases), one for the game.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      // Two pages: the game (index.html) and the NGO console (console.html, served at /console).
      input: { main: `${clientDir}index.html`, console: `${clientDir}console.html` },
      output: {
        codeSplitting: { groups: [{ name: "phaser", test: /node_modules[\\/]phaser[\\/]/ }] },
      },
    },
  },
  server: {
    // client/ imports ../shared and ../assets/i18n.
    fs: { allow: [repoRoot] },
    proxy: {
      "/api": gameServer,
      "/checkout": gameServer,
      "/webhooks": gameServer,
      "/assets": gameServer,
      "/embed": gameServer,
      // The public pages and their share cards (server-rendered): /c, /n, /g, /v, /f.
      "^/[cngvf]/": gameServer,
      "/matchmake": gameServer,
      // The room's websocket: /<processId>/<roomId>?... (Colyseus ids, no dots).
      // Alternatively set VITE_SERVER_URL to talk to the game server directly.
      "^/[\\w-]{6,24}/[\\w-]{6,24}(\\?|$)": { target: gameServer, ws: true },
    },
  },
  test: {
    // Vitest resolves `include` against its root, which would otherwise be client/.
    root: repoRoot,
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
