/**
 * A durable job's timer: sweeps on start, then every `everyMs`. A sweep asked
 * for while one runs follows it (never two at once); a failed sweep is logged
 * and the next one retries. Used by the dedication delivery and the impact digests.
 */
import type { Logger } from "pino";

export interface PeriodicSweep {
  /** Sweeps now (after the current sweep, if one runs) and resolves when done. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export function startPeriodicSweep(opts: { run: () => Promise<unknown>; everyMs: number; logger: Logger; failure: string }): PeriodicSweep {
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) return running.then(() => sweep());
    running = opts.run()
      .then(() => undefined)
      .catch((err: unknown) => opts.logger.error({ err }, opts.failure))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void sweep(), opts.everyMs);
  timer.unref();
  void sweep();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
