/**
 * Structured JSON logs (pino). Tokens, keys, signatures and secrets are
 * redacted wherever they appear in a logged object; no card data ever
 * reaches Hameau (Stripe Checkout collects it), so none can be logged.
 */
import { pino, type DestinationStream, type Logger } from "pino";

export const REDACTED_PATHS = [
  "token", "*.token", "authorization", "*.authorization", "headers.authorization", "*.headers.authorization",
  "req.headers.authorization", "headers.cookie", "*.headers.cookie", "headers[\"stripe-signature\"]", "*.headers[\"stripe-signature\"]",
  "secretKey", "*.secretKey", "webhookSecret", "*.webhookSecret", "password", "*.password",
  "err.raw.headers", "err.headers", "err.requestId",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}
