/**
 * HTTP errors: one shape for every refusal ({ error: { code, message } }),
 * and the middleware that turns thrown errors into it. Nothing internal leaks.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import type { ZodError } from "zod";
import type { ApiErrorBody, ErrorCode, RuleError } from "../../shared/errors.ts";

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  constructor(status: number, code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export function fromZod(error: ZodError, what = "request body"): HttpError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join(".") || "(root)"] = issue.message;
  const summary = Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ");
  return new HttpError(400, "bad_request", `Invalid ${what}: ${summary}`, fields);
}

export function sendError(res: Parameters<RequestHandler>[1], err: HttpError): void {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
  res.status(err.status).json(body);
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, new HttpError(404, "not_found", `No route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) return sendError(res, err);
    const refusal = requestProblem(err);
    if (refusal) return res.headersSent ? undefined : sendError(res, refusal);
    logger.error({ err, method: req.method, path: req.path }, "request failed");
    if (res.headersSent) return;
    sendError(res, new HttpError(500, "internal", "Something went wrong on our side; nothing was charged"));
  };
}

/**
 * An error that says the request itself was bad, as a 4xx: what body-parser throws (each has a
 * `type`: bad JSON, too large, unsupported charset or encoding, aborted…), a malformed URI, JSON
 * the parser refused, any error carrying a 4xx status. Null for our own failures (500).
 */
function requestProblem(err: unknown): HttpError | null {
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return null;
  if (e.type === "entity.parse.failed") return new HttpError(400, "invalid_json", "The request body is not valid JSON");
  if (e.type === "entity.too.large") return new HttpError(413, "bad_request", "The request body is too large");
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) return new HttpError(status, "bad_request", typeof e.message === "string" ? e.message : "Bad request");
  // body-parser's own errors all have a type (charset.unsupported, encoding.unsupported, request.aborted, request.size.invalid…).
  if (typeof e.type === "string" && /^(entity|request|charset|encoding|stream)\./.test(e.type)) return new HttpError(400, "bad_request", "The request body could not be read");
  if (err instanceof URIError) return new HttpError(400, "bad_request", "The address is not valid percent-encoding");
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be an id: anything else is a plain 404 (never a database error). */
export function idParam(value: unknown, notFound = "Not found"): string {
  if (typeof value !== "string" || !UUID.test(value)) throw new HttpError(404, "not_found", notFound);
  return value;
}

/** HTTP status of a rule's refusal (400 unless the code says otherwise). */
const RULE_STATUS: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401, invalid_credentials: 401, forbidden: 403, account_required: 403, village_private: 403, not_found: 404,
  player_unknown: 404, invite_invalid: 404, village_unknown: 404, name_taken: 409, already_friends: 409,
  already_thanked: 409, thanks_unavailable: 409,
};

export function fromRule(rule: RuleError): HttpError {
  return new HttpError(RULE_STATUS[rule.code] ?? 400, rule.code, rule.message);
}
