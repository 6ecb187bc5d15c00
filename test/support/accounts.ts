/**
 * Accounts for social tests: a unique suffix, and a signed-up player, made
 * through the real flow: sign up, read the confirmation link from the local
 * outbox (/dev/mail.json), confirm it with the password chosen then.
 */
import { expect } from "vitest";
import type { SessionResponse } from "../../shared/api.ts";
import type { SignUpResponse } from "../../shared/social.ts";
import type { OutboxResponse } from "../../server/mail/outbox.ts";
import type { TestServer } from "./server.ts";

let n = 0;
/** Unique within a test run: for emails and names. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

/** The mails in the local outbox for this address, newest first. */
export async function outboxFor(baseUrl: string, email: string): Promise<OutboxResponse["mails"]> {
  const res = await fetch(`${baseUrl}/dev/mail.json?to=${encodeURIComponent(email)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as OutboxResponse).mails;
}

/** The token of a confirmation link (`…/?confirm=<token>`) in a mail's text, or undefined. */
export function confirmationToken(text: string): string | undefined {
  const link = /https?:\/\/\S+\/\?confirm=([^\s&]+)/.exec(text);
  return link ? decodeURIComponent(link[1]!) : undefined;
}

/** The token in the newest confirmation link mailed to this address. */
export async function mailedConfirmationToken(baseUrl: string, email: string): Promise<string> {
  const [newest] = await outboxFor(baseUrl, email);
  const token = newest && confirmationToken(newest.text);
  if (!token) throw new Error(`no confirmation link was mailed to ${email}`);
  return token;
}

/** Signs up a new account (named "<prefix> <suffix>" unless told) and confirms it through the mailed link, choosing the password. */
export async function signUpAccount(
  server: TestServer,
  prefix: string,
  opts: { email?: string; password?: string; name?: string } = {},
): Promise<SessionResponse & { email: string; password: string }> {
  const email = opts.email ?? `${prefix.toLowerCase()}.${uniqueSuffix()}@example.org`;
  const password = opts.password ?? "a long test password";
  const res = await server.api<SignUpResponse>("/api/account/signup", {
    body: { email, name: opts.name ?? `${prefix} ${uniqueSuffix()}` },
  });
  expect(res.status).toBe(202);
  const confirmed = await server.api<SessionResponse>("/api/account/confirm", { body: { token: await mailedConfirmationToken(server.url, email), password } });
  expect(confirmed.status).toBe(201);
  return { ...confirmed.body, email, password };
}

/** The token of a password reset link (`…/?reset=<token>`) in a mail's text, or undefined. */
export function resetToken(text: string): string | undefined {
  const link = /https?:\/\/\S+\/\?reset=([^\s&]+)/.exec(text);
  return link ? decodeURIComponent(link[1]!) : undefined;
}
