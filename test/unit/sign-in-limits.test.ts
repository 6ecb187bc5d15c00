import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS, signInWaitMs } from "../../server/services/sign-in-limits.ts";

const MIN = 60_000;

describe("sign-in waits", () => {
  it("gives a pair 5 free failures, then waits 1, 2, 4, 8 and at most 15 minutes after the last", () => {
    const now = 1_000_000_000;
    expect(signInWaitMs(undefined, 0, now)).toBe(0);
    for (let failures = 0; failures < 5; failures++) expect(signInWaitMs({ failures, lastFailureMs: now }, 0, now)).toBe(0);
    expect([5, 6, 7, 8, 9, 10, 30].map((failures) => signInWaitMs({ failures, lastFailureMs: now }, 0, now))).toEqual([1, 2, 4, 8, 15, 15, 15].map((m) => m * MIN));
    expect(signInWaitMs({ failures: 6, lastFailureMs: now }, 0, now + 90_000)).toBe(30_000);
    expect(signInWaitMs({ failures: 6, lastFailureMs: now }, 0, now + 2 * MIN)).toBe(0);
  });

  it("under pressure, waits after the first failure, and never holds up a pair that has not failed", () => {
    const now = 5_000;
    const pressure = SIGN_IN_LIMITS.emailPressureFailures;
    expect(signInWaitMs(undefined, 10_000, now)).toBe(0);
    expect(signInWaitMs({ failures: 0, lastFailureMs: now }, pressure, now)).toBe(0);
    expect(signInWaitMs({ failures: 1, lastFailureMs: now }, pressure - 1, now)).toBe(0);
    expect(signInWaitMs({ failures: 1, lastFailureMs: now }, pressure, now)).toBe(MIN);
    expect(signInWaitMs({ failures: 3, lastFailureMs: now }, pressure, now)).toBe(4 * MIN);
  });
});
