/**
 * A campaign's givers ranked, for GET /api/campaigns/:id/leaderboard: by the
 * number of gifts they gave, or by the villages they helped (distinct villages
 * their gifts went to). Never by amount. Only players who opted in
 * (showOnLeaderboards) are named; an amount is shown only for a named player
 * who also opted in to show it (showAmountsOnLeaderboards). Everyone else is
 * counted in `others`, never named. Pure: the server reads the lines.
 */
import type { CountedLine } from "./campaign-progress.ts";

export const LEADERBOARD_ORDERS = ["gifts", "villages"] as const;
export type LeaderboardOrder = (typeof LEADERBOARD_ORDERS)[number];

export function isLeaderboardOrder(value: unknown): value is LeaderboardOrder {
  return typeof value === "string" && (LEADERBOARD_ORDERS as readonly string[]).includes(value);
}

export interface GiverEntry {
  /** Place among every giver (those not named included). */
  rank: number;
  /** The giver's village name. */
  name: string;
  /** Gift units given (net of refunds). */
  gifts: number;
  /** Distinct villages the gifts went to. */
  villages: number;
  /** What they gave, in cents: only when they opted in to show it. */
  amountCents?: number;
}

export interface GiverLeaderboard {
  by: LeaderboardOrder;
  entries: GiverEntry[];
  /** Givers not named (not opted in, or past the limit), and their gifts. */
  others: { givers: number; gifts: number };
}

export type CampaignLeaderboardResponse = GiverLeaderboard & { campaignId: string; currency: string };

interface Giver {
  id: string;
  name: string;
  named: boolean;
  showAmount: boolean;
  gifts: number;
  cents: number;
  helped: Set<string>;
}

export function giverLeaderboard(counted: readonly CountedLine[], by: LeaderboardOrder, limit = 10): GiverLeaderboard {
  const givers = new Map<string, Giver>();
  for (const c of counted) {
    if (c.units <= 0) continue;
    const l = c.line;
    let g = givers.get(l.donorId);
    if (!g) {
      g = { id: l.donorId, name: l.village.name, named: l.village.named, showAmount: l.village.showAmount === true, gifts: 0, cents: 0, helped: new Set() };
      givers.set(l.donorId, g);
    }
    g.gifts += c.units;
    g.cents += c.cents;
    g.helped.add(l.toVillageId ?? l.village.id);
  }
  const primary = (g: Giver) => (by === "gifts" ? [g.gifts, g.helped.size] : [g.helped.size, g.gifts]);
  const ranked = [...givers.values()].sort((a, b) => {
    const [a1, a2] = primary(a);
    const [b1, b2] = primary(b);
    return b1! - a1! || b2! - a2! || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  const entries: GiverEntry[] = [];
  const others = { givers: 0, gifts: 0 };
  ranked.forEach((g, i) => {
    if (g.named && entries.length < limit) {
      const entry: GiverEntry = { rank: i + 1, name: g.name, gifts: g.gifts, villages: g.helped.size };
      if (g.showAmount) entry.amountCents = g.cents;
      entries.push(entry);
    } else {
      others.givers += 1;
      others.gifts += g.gifts;
    }
  });
  return { by, entries, others };
}
