/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Dev only: the game server's origin when the client runs on Vite's dev server (e.g. http://localhost:2567). */
  readonly VITE_SERVER_URL?: string;
}
