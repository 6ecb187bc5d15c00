/** Runs the real server as a child process (for crash and multi-process tests). */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { TEST_CONNECT_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET } from "./server.ts";

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves with the first log line (stdout) matching, seen already or to come; rejects after timeoutMs. */
  logLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ["server/main.ts"], {
    env: {
      ...process.env, NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", SEED_DEMO: "false",
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_CONNECT_WEBHOOK_SECRET: TEST_CONNECT_WEBHOOK_SECRET, ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      for (const watch of watchers) watch(line);
      const m = /"port":(\d+).*Hameau listening/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
  });
  return {
    url,
    process: child,
    logLine(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (watchers.delete(watch), reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms`))), timeoutMs);
        const watch = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve(line);
        };
        watchers.add(watch);
      });
    },
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
