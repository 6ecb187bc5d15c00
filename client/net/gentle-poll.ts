/**
 * Polls gently: every `everyMs` while the page is visible, and at once when
 * the player comes back to the tab. Never two calls at a time.
 */
export function gentlePoll(call: () => Promise<unknown>, everyMs: number): { now(): void; stop(): void } {
  let running = false;
  let stopped = false;
  const run = () => {
    if (running || stopped || document.visibilityState === "hidden") return;
    running = true;
    call().catch((err: unknown) => console.warn("poll failed", err)).finally(() => {
      running = false;
    });
  };
  const timer = setInterval(run, everyMs);
  const onVisible = () => {
    if (document.visibilityState === "visible") run();
  };
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("focus", run);
  return {
    now: run,
    stop() {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("focus", run);
    },
  };
}
