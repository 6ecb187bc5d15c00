/** The public campaign API: the live campaigns, one campaign, and its opt-in leaderboard. */
import type { CampaignLeaderboardResponse, LeaderboardOrder } from "../../shared/campaign-leaderboard.ts";
import type { PublicCampaignListResponse, PublicCampaignResponse } from "../../shared/campaigns.ts";
import { request } from "./api.ts";

export const campaignsApi = {
  list: () => request<PublicCampaignListResponse>("GET", "/api/campaigns"),
  one: (id: string) => request<PublicCampaignResponse>("GET", `/api/campaigns/${encodeURIComponent(id)}`),
  leaderboard: (id: string, by: LeaderboardOrder) =>
    request<CampaignLeaderboardResponse>("GET", `/api/campaigns/${encodeURIComponent(id)}/leaderboard?by=${by}`),
};
