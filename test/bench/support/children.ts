/**
 * Child processes and clean-up for the benchmark: every child, temp folder
 * and throwaway database registers an undo step, run in reverse order by
 * `finally` blocks and by the SIGINT/SIGTERM handler alike.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";

type Undo = () => Promise<void> | void;
const undoStack: Array<{ label: string; undo: Undo }> = [];

/** Registers a clean-up step; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, undo: Undo): () => Promise<void> {
  const entry = { label, undo };
  undoStack.push(entry);
  return async () => {
    const i = undoStack.indexOf(entry);
    if (i < 0) return;
    undoStack.splice(i, 1);
    await undo();
  };
}

/** Runs every registered clean-up step, newest first; never throws. */
export async function cleanupAll(): Promise<void> {
  for (let entry = undoStack.pop(); entry; entry = undoStack.pop()) {
    try {
      await entry.undo();
    } catch (err) {
      console.error(`clean-up "${entry.label}" failed: ${(err as Error).message}`);
    }
  }
}

let interrupted = false;
/** Ctrl-C or a kill: clean up, then leave with the conventional code. */
export function installSignalHandlers(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: cleaning up children, temp folders and databases…`);
      void cleanupAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

/** A free TCP port on the loopback interface (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  proc: ChildProcess;
  url: string;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SpawnOptions {
  name: string;
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  /** GET path answering 200 once the child is ready. */
  readyPath: string;
  timeoutMs?: number;
  /** Echo the child's output lines to our stderr (LOG_LEVEL=info, debugging). */
  echo?: boolean;
}

/** Spawns `node <nodeArgs>` and waits until GET readyPath answers 200. */
export async function spawnNode(opts: SpawnOptions): Promise<Child> {
  const proc = spawn(process.execPath, opts.nodeArgs, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
    if (opts.echo) process.stderr.write(`[${opts.name}] ${line}\n`);
  };
  // Always drain both pipes: a full pipe would block the child.
  if (proc.stdout) createInterface({ input: proc.stdout }).on("line", keep);
  if (proc.stderr) createInterface({ input: proc.stderr }).on("line", keep);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return exited;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const unregister = onCleanup(`stop ${opts.name} (pid ${proc.pid})`, () => stop().then(() => undefined));
  const child: Child = {
    name: opts.name, proc, url: `http://127.0.0.1:${opts.port}`,
    tail: () => lines.join("\n"),
    stop: async (graceMs) => {
      const code = await stop(graceMs);
      await unregister();
      return code;
    },
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${opts.name} exited during start (code ${proc.exitCode ?? proc.signalCode}):\n${child.tail()}`);
    }
    try {
      const res = await fetch(child.url + opts.readyPath, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${opts.name} not ready after ${opts.timeoutMs ?? 60_000} ms:\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
