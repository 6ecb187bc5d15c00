/**
 * The door's first check, before any route reads a request: what cannot be
 * stored or parsed is refused with 400 `text_invalid` (or `bad_request`), so
 * no route ever hands a NUL byte or a broken character to the database.
 * - The URL: a NUL (%00) or a lone surrogate anywhere in the path or query.
 * - A JSON body (after express.json): every key and string, and its depth
 *   (shared/text.ts jsonProblem).
 * The zod schemas of each form then say what the fields may hold.
 */
import type { RequestHandler } from "express";
import { isStorableText, jsonProblem } from "../../shared/text.ts";
import { HttpError } from "./errors.ts";

/** Refuses a URL holding %00 (or a raw NUL), malformed percent-encoding in the path, or a query value that cannot be stored. */
export const refuseUnstorableUrl: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl ?? req.url;
  if (/%00|\u0000/i.test(url)) return next(new HttpError(400, "text_invalid", "The address holds a NUL byte"));
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  try {
    if (!isStorableText(decodeURIComponent(path))) return next(new HttpError(400, "text_invalid", "The address holds a broken character"));
  } catch {
    return next(new HttpError(400, "bad_request", "The address is not valid percent-encoding"));
  }
  if (query >= 0) {
    for (const [key, value] of new URLSearchParams(url.slice(query + 1))) {
      if (!isStorableText(key) || !isStorableText(value)) return next(new HttpError(400, "text_invalid", "The query holds a broken character"));
    }
  }
  next();
};

/** Refuses a parsed JSON body holding a string that cannot be stored, or nested too deep. */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || typeof req.body !== "object" || Buffer.isBuffer(req.body)) return next();
  const problem = jsonProblem(req.body);
  if (!problem) return next();
  next(problem.problem === "too_deep"
    ? new HttpError(400, "bad_request", "The request body is nested too deeply")
    : new HttpError(400, "text_invalid", `The request body holds a NUL byte or a broken character (${problem.path})`, { [problem.path]: "text_invalid" }));
};
