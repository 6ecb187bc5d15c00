/**
 * The matching rule, pure (time passed in). The database applies the same
 * rule when an order is paid (migration 0019, hameau_match_paid_order, under
 * the pledges' row locks); refunds and disputes apply `rematchDelta` in the
 * event's transaction (server/payments/matching.ts).
 *
 * - The base is the donor's own gift to the campaign: the order's lines for
 *   the campaign's gifts (never the extra support, never other gifts).
 * - A pledge applies to a payment made within its window [startsAt, endsAt)
 *   while it is active. Pledges apply one after the other, in order of
 *   creation: each matches what the earlier ones left of the gift, at its own
 *   ratio (floor, to the cent), up to what is left of its cap. Each cent of a
 *   donor's gift is matched at most once.
 * - Money taken back (refunds, a lost dispute) unmatches in proportion: a
 *   match becomes floor(original × kept / base), freeing cap. Money coming
 *   back (a refund that failed or shrank) matches again, up to the original
 *   and to what is left of the cap.
 */
import { type SplitOrder, splitTaken } from "./refund-split.ts";

export interface OpenPledge {
  id: string;
  ratioPercent: number;
  capCents: number;
  matchedCents: number;
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  createdAt: number;
  status: "active" | "ended" | "cancelled";
}

export interface MatchShare {
  pledgeId: string;
  /** The sponsor's match, in cents. */
  matchedCents: number;
  /** The part of the donor's gift this match covers. */
  coveredCents: number;
}

export function pledgeApplies(p: Pick<OpenPledge, "status" | "startsAt" | "endsAt">, at: number): boolean {
  return p.status === "active" && p.startsAt <= at && at < p.endsAt;
}

/** What a pledge may still match at `now`: nothing once its window is over or it was ended. */
export function pledgeLeft(p: Pick<OpenPledge, "status" | "startsAt" | "endsAt" | "capCents" | "matchedCents">, now: number): number {
  if (p.status !== "active" || now >= p.endsAt) return 0;
  return Math.max(0, p.capCents - p.matchedCents);
}

/** Creation order (then id): the order pledges apply in. */
export function byCreation<T extends Pick<OpenPledge, "createdAt" | "id">>(pledges: readonly T[]): T[] {
  return [...pledges].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The matches of a donor's gift of `baseCents` to the campaign, paid at `at`, one per pledge that matches something. */
export function matchDonation(pledges: readonly OpenPledge[], baseCents: number, at: number): MatchShare[] {
  let remaining = Math.max(0, Math.trunc(baseCents));
  const out: MatchShare[] = [];
  for (const p of byCreation(pledges)) {
    if (remaining <= 0) break;
    if (!pledgeApplies(p, at) || p.ratioPercent <= 0) continue;
    const want = Math.floor((remaining * p.ratioPercent) / 100);
    const matched = Math.min(want, Math.max(0, p.capCents - p.matchedCents));
    if (matched <= 0) continue;
    const covered = matched === want ? remaining : Math.min(remaining, Math.ceil((matched * 100) / p.ratioPercent));
    remaining -= covered;
    out.push({ pledgeId: p.id, matchedCents: matched, coveredCents: covered });
  }
  return out;
}

/** What a match should be once the donor's gift keeps `keptCents` of its `baseCents`. */
export function rematchTarget(m: { originalCents: number; baseCents: number }, keptCents: number): number {
  if (m.baseCents <= 0) return 0;
  const kept = Math.max(0, Math.min(keptCents, m.baseCents));
  return Math.floor((m.originalCents * kept) / m.baseCents);
}

/**
 * The change to make to a match now at `currentCents` (negative: unmatch, freeing cap; positive:
 * match again, never past the cap).
 */
export function rematchDelta(currentCents: number, targetCents: number, capLeftCents: number): number {
  if (targetCents <= currentCents) return targetCents - currentCents;
  return Math.min(targetCents - currentCents, Math.max(0, capLeftCents));
}

/**
 * What the donor's gift to the campaign (the lines `lineIds`) keeps after `takenCents` went back,
 * split by the one refund rule (shared/refund-split.ts); nothing after a lost dispute.
 */
export function keptBaseCents(order: SplitOrder, lineIds: readonly string[], takenCents: number, disputeLost: boolean): number {
  if (disputeLost) return 0;
  const split = splitTaken(order, takenCents);
  const ids = new Set(lineIds);
  let kept = 0;
  for (const l of order.lines) if (ids.has(l.lineId)) kept += l.unitPriceCents * l.quantity - (split.lineCents[l.lineId] ?? 0);
  return kept;
}
