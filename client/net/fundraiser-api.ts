/** The fundraiser routes (shared/fundraisers.ts), for the game's dialog and the account's part. */
import type { PublicCampaignListResponse } from "../../shared/campaigns.ts";
import type {
  CreateFundraiserRequest, MyFundraiser, MyFundraisersResponse, PublicFundraiser, UpdateFundraiserRequest,
} from "../../shared/fundraisers.ts";
import { request } from "./api.ts";

export const fundraiserApi = {
  get: (id: string) => request<PublicFundraiser>("GET", `/api/fundraisers/${encodeURIComponent(id)}`),
  mine: (token: string) => request<MyFundraisersResponse>("GET", "/api/me/fundraisers", { token }),
  start: (token: string, body: CreateFundraiserRequest) => request<MyFundraiser>("POST", "/api/me/fundraisers", { token, body }),
  update: (token: string, id: string, body: UpdateFundraiserRequest) =>
    request<MyFundraiser>("PATCH", `/api/me/fundraisers/${encodeURIComponent(id)}`, { token, body }),
  /** Campaigns players see (running or recently ended): a fundraiser starts for a running one. */
  campaigns: () => request<PublicCampaignListResponse>("GET", "/api/campaigns"),
};
