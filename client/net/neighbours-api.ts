/** The neighbours API (server/http/neighbours.ts) with the types of shared/neighbours.ts. */
import type { PublicVillagesResponse, SuggestedNeighboursResponse, ThanksRequest, ThanksResponse } from "../../shared/neighbours.ts";
import { request } from "./api.ts";

export const neighboursApi = {
  suggested: (token: string) => request<SuggestedNeighboursResponse>("GET", "/api/neighbours/suggested", { token }),
  villages: (token: string, q: string, page: number) => {
    const query = new URLSearchParams({ page: String(page) });
    if (q !== "") query.set("q", q);
    return request<PublicVillagesResponse>("GET", `/api/neighbours/villages?${query}`, { token });
  },
  /** Thanks the giver of a gift received in my village (once per gift). */
  thank: (token: string, orderId: string, body: ThanksRequest) =>
    request<ThanksResponse>("POST", `/api/thanks/${encodeURIComponent(orderId)}`, { token, body }),
};
