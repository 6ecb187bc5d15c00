/**
 * Colyseus answers CORS on every response of the shared HTTP server (Express
 * routes included) and by default echoes any Origin with credentials. Hameau
 * replaces that with an allow-list: same-origin needs no CORS at all, and
 * CORS_ORIGINS names the extra origins (e.g. the Vite dev server).
 */
import { matchMaker } from "@colyseus/core";

export function restrictCors(allowedOrigins: readonly string[]): void {
  const defaults = matchMaker.controller.DEFAULT_CORS_HEADERS as Record<string, string>;
  delete defaults["Access-Control-Allow-Origin"];
  delete defaults["Access-Control-Allow-Credentials"];
  const allowed = new Set(allowedOrigins);
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get("origin");
    if (origin && allowed.has(origin)) return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
    return { Vary: "Origin" };
  };
}
