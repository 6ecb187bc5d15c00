/**
 * Structured JSON logs (pino). Tokens, keys, signatures and secrets are
 * redacted wherever they appear in a logged object; no card data ever
 * reaches Hameau (Stripe Checkout collects it), so none can be logged.
 * A line written during a request carries the request's id (`requestId`).
 */
import { pino, type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "./observability/request-context.ts";

export const REDACTED_PATHS = [
  "token", "*.token", "authorization", "*.authorization", "headers.authorization", "*.headers.authorization",
  "req.headers.authorization", "headers.cookie", "*.headers.cookie", "headers[\"stripe-signature\"]", "*.headers[\"stripe-signature\"]",
  "secretKey", "*.secretKey", "webhookSecret", "*.webhookSecret", "password", "*.password",
  "err.raw.headers", "err.headers", "err.requestId",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    // Every line written while a request is handled carries its id (observability/request-context.ts).
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
