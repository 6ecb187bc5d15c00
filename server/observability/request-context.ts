/**
 * The request id: taken from the proxy's X-Request-Id when it looks like one (1 to 128 letters,
 * digits and . _ : - only), otherwise made here; echoed in the response's X-Request-Id, and put
 * on every log line written while the request is handled (logger.ts reads it from here, through
 * AsyncLocalStorage, so services and rooms log it without being handed it).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` with this request id on its log lines (e.g. work a request started, carried on elsewhere). */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && SANE_ID.test(given) ? given : randomUUID();
}

export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdOf(req.headers["x-request-id"]);
  res.setHeader("x-request-id", id);
  storage.run({ requestId: id }, next);
};
