/**
 * A campaign's progress and leaderboard: pure rules over order lines, with
 * the time passed in. Nothing is stored; the server reads the lines of paid
 * orders and asks these functions.
 *
 * What counts: the lines of PAID orders for the campaign's gifts, paid within
 * [startsAt, endsAt] (and not after `now`).
 *
 * How money going back is counted, per order, the way the ledger and the
 * village do it:
 * - a lost dispute takes the whole order back: nothing of it counts;
 * - a refund (cumulative, as Stripe reports it) is split by the one rule of
 *   shared/refund-split.ts (the ledger's and the village's): the extra support
 *   first, then the lines whose gifts leave the village give their money back;
 *   each line counts what it keeps, and the campaign adds up its lines.
 *   An open dispute counts until it is lost (Stripe may give it back).
 * - gift units: those the refund or the lost dispute took out of the village
 *   do not count (the server counts them from the village items).
 */
import type { CampaignLeaderboard, CampaignPhase, CampaignProgress } from "./campaigns.ts";
import { splitTaken } from "./refund-split.ts";

/** One gift line of a paid order, with what the progress rule needs of its order. */
export interface ProgressLine {
  lineId: string;
  orderId: string;
  giftId: string;
  quantity: number;
  lineTotalCents: number;
  orderTotalCents: number;
  /** The optional extra support in the order (not a gift: never counted). */
  supportCents: number;
  /** Cumulative amount refunded on the order. */
  refundedCents: number;
  disputeStatus: "open" | "won" | "lost" | null;
  /** When the order was paid (epoch ms). */
  paidAt: number;
  /** Units of this line taken back from the village by a refund or a lost dispute. */
  withdrawnUnits: number;
  /** The payer. */
  donorId: string;
  /** The payer's own village, for the leaderboard, named only when its owner opted in. */
  village: { id: string; name: string; named: boolean; showAmount?: boolean };
  /** The village the gifts went to (the payer's own unless given to someone else); defaults to `village.id`. */
  toVillageId?: string;
}

export interface CampaignWindow {
  giftIds: readonly string[];
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  goalCents: number;
}

/** What each line of the campaign still counts for: cents and units. */
export interface CountedLine {
  line: ProgressLine;
  cents: number;
  units: number;
}

export function campaignPhase(c: { startsAt: number; endsAt: number }, now: number): CampaignPhase {
  if (now < c.startsAt) return "upcoming";
  return now < c.endsAt ? "running" : "ended";
}

/** Listed publicly: running, or ended less than `recentMs` ago. */
export function isListed(c: { startsAt: number; endsAt: number }, now: number, recentMs: number): boolean {
  return now >= c.startsAt && now < c.endsAt + recentMs;
}

/**
 * The campaign's lines with what each still counts for. `lines` may hold
 * every line of the orders concerned (other gifts too: they take their share
 * of a refund); only the campaign's lines paid in its window come out.
 */
export function countedLines(lines: readonly ProgressLine[], campaign: CampaignWindow, now: number): CountedLine[] {
  const gifts = new Set(campaign.giftIds);
  const until = Math.min(campaign.endsAt, now);
  const byOrder = new Map<string, ProgressLine[]>();
  for (const l of lines) {
    if (l.paidAt < campaign.startsAt || l.paidAt > until) continue;
    const group = byOrder.get(l.orderId);
    if (group) group.push(l);
    else byOrder.set(l.orderId, [l]);
  }
  const out: CountedLine[] = [];
  for (const group of byOrder.values()) {
    if (!group.some((l) => gifts.has(l.giftId))) continue;
    const sorted = [...group].sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0));
    const shares = giftShares(sorted);
    sorted.forEach((line, i) => {
      if (!gifts.has(line.giftId)) return;
      const lost = line.disputeStatus === "lost";
      const units = lost ? 0 : Math.max(0, line.quantity - line.withdrawnUnits);
      out.push({ line, cents: shares[i]!, units });
    });
  }
  return out;
}

/** What each of one order's lines (sorted) keeps of its money after refunds, by the one refund split. */
function giftShares(lines: readonly ProgressLine[]): number[] {
  const first = lines[0]!;
  if (first.disputeStatus === "lost") return lines.map(() => 0);
  const split = splitTaken({
    lines: lines.map((l) => ({ lineId: l.lineId, ngoId: "", projectId: "", unitPriceCents: l.lineTotalCents / Math.max(1, l.quantity), quantity: l.quantity })),
    supportCents: first.supportCents,
  }, first.refundedCents);
  return lines.map((l) => Math.max(0, l.lineTotalCents - (split.lineCents[l.lineId] ?? 0)));
}

/** Amount raised, units, donors and percent of the goal. */
export function campaignProgress(lines: readonly ProgressLine[], campaign: CampaignWindow, now: number): CampaignProgress {
  return progressOf(countedLines(lines, campaign, now), campaign.goalCents);
}

export function progressOf(counted: readonly CountedLine[], goalCents: number): CampaignProgress {
  let raisedCents = 0;
  let units = 0;
  const donors = new Set<string>();
  for (const c of counted) {
    raisedCents += c.cents;
    units += c.units;
    if (c.cents > 0 || c.units > 0) donors.add(c.line.donorId);
  }
  const percent = goalCents > 0 ? Math.floor((raisedCents * 100) / goalCents) : 0;
  return { raisedCents, units, donors: donors.size, percent };
}

/**
 * Villages by gift units given to the campaign, most first (ties by name, then
 * id). Only villages whose owner opted in are named, up to `limit`; every
 * other village is counted in `others`, never named. No amounts.
 */
export function campaignLeaderboard(counted: readonly CountedLine[], limit = 10): CampaignLeaderboard {
  const byVillage = new Map<string, { name: string; named: boolean; units: number }>();
  for (const c of counted) {
    if (c.units <= 0) continue;
    const v = byVillage.get(c.line.village.id);
    if (v) v.units += c.units;
    else byVillage.set(c.line.village.id, { name: c.line.village.name, named: c.line.village.named, units: c.units });
  }
  const ranked = [...byVillage.entries()]
    .map(([id, v]) => ({ id, ...v }))
    .sort((a, b) => b.units - a.units || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  const entries: CampaignLeaderboard["entries"] = [];
  const others = { villages: 0, units: 0 };
  ranked.forEach((v, i) => {
    if (v.named && entries.length < limit) entries.push({ rank: i + 1, name: v.name, units: v.units });
    else {
      others.villages += 1;
      others.units += v.units;
    }
  });
  return { entries, others };
}
