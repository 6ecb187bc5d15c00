/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Dev only: the game server's origin when the client runs on Vite's dev server (e.g. http://localhost:2567). */
  readonly VITE_SERVER_URL?: string;
}

/** The boot art's atlas, made at build time (client/build/sprite-atlas.ts). */
declare module "virtual:sprite-atlas" {
  const atlas: { url: string; width: number; height: number; frames: Record<string, { x: number; y: number; w: number; h: number }> };
  export default atlas;
}
