/**
 * The JSON API client. Every refusal becomes an ApiError carrying the
 * server's stable error code, which the UI translates.
 */
import type {
  CatalogResponse,
  CheckoutRequest,
  CheckoutResponse,
  DonorProfile,
  MeResponse,
  OrderView,
  PublicGiftResponse,
  RoomTicketResponse,
  SessionResponse,
  TaxReceiptSummary,
} from "../../shared/api.ts";
import type { ApiErrorBody } from "../../shared/errors.ts";
import type { MyDonationsResponse } from "../../shared/my-donations.ts";

export class ApiError extends Error {
  readonly status: number;
  /** A shared/errors.ts code, or "network" when the server could not be reached. */
  readonly code: string;
  /** Field-level details of a validation error: path → message. */
  readonly fields: Record<string, string>;
  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export interface IssuedTaxReceipt {
  id: string;
  number: string;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === "string";
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Sends a request with the bearer token; a network failure becomes ApiError "network". */
export async function send(method: Method, path: string, opts: { token?: string; body?: unknown; accept?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: opts.accept ?? "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: "no-store",
    });
  } catch (err) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
}

/** The ApiError for a refused response ({error:{code,message,fields}} or a bare status). */
export async function refusal(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => null);
  if (isApiErrorBody(payload)) return new ApiError(response.status, payload.error.code, payload.error.message, payload.error.fields);
  return new ApiError(response.status, response.status >= 500 ? "internal" : "bad_request", `HTTP ${response.status}`);
}

export async function request<T>(method: Method, path: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await send(method, path, opts);
  if (!response.ok) throw await refusal(response);
  return (await response.json().catch(() => null)) as T;
}

export const api = {
  createGuest: () => request<SessionResponse>("POST", "/api/session/guest"),
  /** A single-use, minute-long ticket to join a room with (the session token never goes into a websocket URL). */
  roomTicket: (token: string) => request<RoomTicketResponse>("POST", "/api/room-tickets", { token }),
  me: (token: string) => request<MeResponse>("GET", "/api/me", { token }),
  catalog: () => request<CatalogResponse>("GET", "/api/catalog"),
  gift: (giftId: string) => request<PublicGiftResponse>("GET", `/api/gifts/${encodeURIComponent(giftId)}`),
  checkout: (token: string, body: CheckoutRequest) => request<CheckoutResponse>("POST", "/api/checkout", { token, body }),
  order: (token: string, orderId: string) => request<OrderView>("GET", `/api/orders/${encodeURIComponent(orderId)}`, { token }),
  /** The checkout page's Cancel: the order expires now, its held units are free again. */
  cancelOrder: (token: string, orderId: string) => request<{ status: OrderView["status"] }>("POST", `/api/orders/${encodeURIComponent(orderId)}/cancel`, { token }),
  donor: (token: string) => request<{ donor: DonorProfile | null }>("GET", "/api/me/donor", { token }),
  saveDonor: (token: string, body: DonorProfile) => request<{ donor: DonorProfile }>("PUT", "/api/me/donor", { token, body }),
  myDonations: (token: string) => request<MyDonationsResponse>("GET", "/api/me/donations", { token }),
  taxReceipts: (token: string, year: number) => request<TaxReceiptSummary>("GET", `/api/tax-receipts?year=${year}`, { token }),
  issueTaxReceipt: (token: string, ngoId: string, year: number) =>
    request<IssuedTaxReceipt>("POST", "/api/tax-receipts", { token, body: { ngoId, year } }),
};

/** Path of the payment receipt (PDF) of a paid order. */
export const orderReceiptPath = (orderId: string, lang: "fr" | "en") => `/api/orders/${encodeURIComponent(orderId)}/receipt.pdf?lang=${lang}`;
/** Path of an issued tax receipt (PDF). */
export const taxReceiptPath = (receiptId: string) => `/api/tax-receipts/${encodeURIComponent(receiptId)}/pdf`;
