/**
 * Child processes and clean-up for the benchmark: every child, temp folder
 * and throwaway database registers an undo step, run in reverse order by
 * `finally` blocks and by the SIGINT/SIGTERM handler alike.
 */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";

type Undo = () => Promise<void> | void;
interface Entry {
  label: string;
  undo: Undo;
  done?: Promise<void>;
}
const undoStack: Entry[] = [];
const running = new Set<Promise<void>>();

/** Runs one step once, whoever asks first (a `finally` or the signal handler); never throws. */
function run(entry: Entry): Promise<void> {
  if (!entry.done) {
    const i = undoStack.indexOf(entry);
    if (i >= 0) undoStack.splice(i, 1);
    entry.done = (async () => {
      try {
        await entry.undo();
      } catch (err) {
        console.error(`clean-up "${entry.label}" failed: ${(err as Error).message}`);
      }
    })();
    running.add(entry.done);
  }
  return entry.done;
}

/** Registers a clean-up step; returns a function that runs it now (once) and waits for it. */
export function onCleanup(label: string, undo: Undo): () => Promise<void> {
  const entry: Entry = { label, undo };
  undoStack.push(entry);
  return () => run(entry);
}

/** Runs every registered step, newest first, and waits for steps already under way. */
export async function cleanupAll(): Promise<void> {
  for (let entry = undoStack.at(-1); entry; entry = undoStack.at(-1)) await run(entry);
  await Promise.all(running);
}

let interrupted: NodeJS.Signals | undefined;
export const interruptedBy = (): NodeJS.Signals | undefined => interrupted;

/** Throws once Ctrl-C was pressed, so no new child, folder or database is made. */
export function checkNotInterrupted(): void {
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
}

/**
 * Ctrl-C or a kill: stop the children at once (the run then fails fast and
 * its `finally` blocks unwind), clean up everything, and leave with 130/143
 * even if the run does not come back within 20 s. A second signal leaves now.
 */
export function installSignalHandlers(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const code = signal === "SIGINT" ? 130 : 143;
      if (interrupted) process.exit(code);
      interrupted = signal;
      console.error(`\n${signal}: stopping children, removing temp folders, dropping databases…`);
      void cleanupAll();
      setTimeout(() => void cleanupAll().finally(() => process.exit(code)), 20_000);
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
  checkNotInterrupted();
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
