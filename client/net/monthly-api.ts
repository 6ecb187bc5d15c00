/** The monthly gift routes (shared/monthly-gifts.ts), for the shop's monthly dialog, My donations and the village's labels. */
import type { MonthlyGiftRequest, MonthlyGiftsResponse, MonthlyGiftStartResponse } from "../../shared/monthly-gifts.ts";
import { request } from "./api.ts";

const one = (id: string) => `/api/me/monthly-gifts/${encodeURIComponent(id)}`;

export const monthlyApi = {
  mine: (token: string) => request<MonthlyGiftsResponse>("GET", "/api/me/monthly-gifts", { token }),
  start: (token: string, body: MonthlyGiftRequest) => request<MonthlyGiftStartResponse>("POST", "/api/me/monthly-gifts", { token, body }),
  amount: (token: string, id: string, amountCents: number) => request<{ ok: true }>("POST", `${one(id)}/amount`, { token, body: { amountCents } }),
  cancel: (token: string, id: string) => request<{ ok: true }>("POST", `${one(id)}/cancel`, { token, body: {} }),
  /** Stripe's Customer Portal (real keys only): where to send the donor. */
  portal: (token: string) => request<{ url: string }>("POST", "/api/me/monthly-gifts/portal", { token, body: {} }),
};
