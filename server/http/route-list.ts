/**
 * Every HTTP route the Express app answers, as "METHOD /path", read from its
 * router stack: what the fuzz test (test/integration/fuzz.test.ts) compares
 * its own list with, so a new route cannot be left out of it.
 */
import type { Express } from "express";

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

export function routesOf(app: Express): string[] {
  const found = new Set<string>();
  const walk = (stack: readonly Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== "_all") for (const p of paths) found.add(`${method.toUpperCase()} ${p}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...found].sort();
}
