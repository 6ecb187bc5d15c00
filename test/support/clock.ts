/**
 * A clock for integration tests: real time plus an offset the test moves
 * forward, so crops ripen without waiting while real time still flows
 * (rate limits and timeouts keep working).
 */
export class TestClock {
  private offset = 0;
  /** Epoch milliseconds, as the server's rules see them. */
  readonly now = (): number => Date.now() + this.offset;

  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError("a test clock only moves forward, by whole milliseconds");
    this.offset += ms;
  }
}
