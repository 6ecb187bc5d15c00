/**
 * The donor's side of impact updates (server/http/impact-updates.ts and
 * fund-trail.ts): the feed of news from the projects I gave to, and the fund
 * trail of a donated gift in a village I may visit.
 */
import type { ItemTrailResponse } from "../../shared/fund-trail.ts";
import type { FeedResponse } from "../../shared/impact-updates.ts";
import { request } from "./api.ts";

export const feedApi = {
  /** Newest first; `before` is the `next` of the previous page. */
  list: (token: string, before?: string) =>
    request<FeedResponse>("GET", `/api/feed${before ? `?before=${encodeURIComponent(before)}` : ""}`, { token }),
  itemTrail: (token: string, villageId: string, itemId: string) =>
    request<ItemTrailResponse>("GET", `/api/villages/${encodeURIComponent(villageId)}/items/${encodeURIComponent(itemId)}/trail`, { token }),
};
