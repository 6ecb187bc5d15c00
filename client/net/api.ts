/**
 * The JSON API client. Every refusal becomes an ApiError carrying the
 * server's stable error code, which the UI translates.
 */
import type {
  CatalogResponse,
  CheckoutRequest,
  CheckoutResponse,
  MeResponse,
  OrderView,
  SessionResponse,
} from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";

export class ApiError extends Error {
  readonly status: number;
  /** A shared/errors.ts code, or "network" when the server could not be reached. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === "string";
}

async function request<T>(method: "GET" | "POST", path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: "no-store",
    });
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isApiErrorBody(payload)) throw new ApiError(response.status, payload.error.code, payload.error.message);
    throw new ApiError(response.status, response.status >= 500 ? "internal" : "bad_request", `HTTP ${response.status}`);
  }
  return payload as T;
}

export const api = {
  createGuest: () => request<SessionResponse>("POST", "/api/session/guest"),
  me: (token: string) => request<MeResponse>("GET", "/api/me", { token }),
  catalog: () => request<CatalogResponse>("GET", "/api/catalog"),
  checkout: (token: string, body: CheckoutRequest) => request<CheckoutResponse>("POST", "/api/checkout", { token, body }),
  order: (token: string, orderId: string) => request<OrderView>("GET", `/api/orders/${encodeURIComponent(orderId)}`, { token }),
};
