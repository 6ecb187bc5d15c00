/** Accounts for social tests: a unique suffix, and a signed-up player. */
import { expect } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { TestServer } from "./server.ts";

let n = 0;
/** Unique within a test run: for emails and names. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

/** Signs up a new account named "<prefix> <suffix>". */
export async function signUpAccount(server: TestServer, prefix: string): Promise<SessionResponse> {
  const res = await server.api<SessionResponse>("/api/account/signup", {
    body: { email: `${prefix.toLowerCase()}.${uniqueSuffix()}@example.org`, password: "a long test password", name: `${prefix} ${uniqueSuffix()}` },
  });
  expect(res.status).toBe(201);
  return res.body;
}
