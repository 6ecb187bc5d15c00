/**
 * Links from a public page into the game: `/?campaign=<id>` opens the
 * campaigns panel on it, `/?gift=<id>` the shop on the gift. A page opened
 * from a shared link (`r=<code>&ch=<channel>`) carries those two on, so the
 * referral follows the visitor into the game; anything not of their shape is
 * dropped (never copied into a link). The shapes are shared/share.ts's.
 */
import { type ShareChannel, isReferralCode, isShareChannel } from "../../shared/share.ts";

export interface ReferralParams {
  r?: string;
  ch?: ShareChannel;
}

/** The referral parameters of a page's query, those of the right shape only. */
export function referralParams(query: Record<string, unknown>): ReferralParams {
  const out: ReferralParams = {};
  if (isReferralCode(query.r)) out.r = query.r;
  if (isShareChannel(query.ch)) out.ch = query.ch;
  return out;
}

/** A path with query parameters (undefined ones left out), encoded. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function giveCampaignLink(campaignId: string, referral: ReferralParams): string {
  return withQuery("/", { campaign: campaignId, r: referral.r, ch: referral.ch });
}

export function giveGiftLink(giftId: string, referral: ReferralParams): string {
  return withQuery("/", { gift: giftId, r: referral.r, ch: referral.ch });
}
