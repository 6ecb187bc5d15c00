/**
 * Decorations bought with coins, the soft currency earned by farming. Coins
 * are whole numbers from 0 to MAX_COINS; they never turn into money or into
 * donated gifts, and nothing here touches an order or a payment.
 */
import { type RuleResult, refuse } from "./errors.ts";

/** No balance grows past a million coins. */
export const MAX_COINS = 1_000_000;

export const DECORATION_IDS = ["fence", "flower-bed", "mailbox", "lantern", "bench", "scarecrow", "fountain"] as const;
export type DecorationId = (typeof DECORATION_IDS)[number];

export interface DecorationInfo {
  readonly id: DecorationId;
  /** Price in coins. */
  readonly coins: number;
  /** Sprite key in assets/sprites. */
  readonly sprite: string;
  readonly nameFr: string;
  readonly nameEn: string;
}

/** The decoration shop, cheapest first. */
export const DECORATIONS: Readonly<Record<DecorationId, DecorationInfo>> = {
  fence: { id: "fence", coins: 10, sprite: "fence", nameFr: "Clôture", nameEn: "Fence" },
  "flower-bed": { id: "flower-bed", coins: 20, sprite: "flower-bed", nameFr: "Parterre de fleurs", nameEn: "Flower bed" },
  mailbox: { id: "mailbox", coins: 30, sprite: "mailbox", nameFr: "Boîte aux lettres", nameEn: "Mailbox" },
  lantern: { id: "lantern", coins: 40, sprite: "lantern", nameFr: "Lanterne", nameEn: "Lantern" },
  bench: { id: "bench", coins: 60, sprite: "bench", nameFr: "Banc", nameEn: "Bench" },
  scarecrow: { id: "scarecrow", coins: 80, sprite: "scarecrow", nameFr: "Épouvantail", nameEn: "Scarecrow" },
  fountain: { id: "fountain", coins: 200, sprite: "fountain", nameFr: "Fontaine", nameEn: "Fountain" },
};

export function isDecorationId(value: unknown): value is DecorationId {
  return typeof value === "string" && (DECORATION_IDS as readonly string[]).includes(value);
}

/** A coin balance or amount: a whole number from 0 to MAX_COINS. */
export function isCoins(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COINS;
}

/**
 * Adds earned coins to a balance. A balance never passes MAX_COINS: coins
 * beyond it are not kept, and `earned` tells how many were really added.
 */
export function earnCoins(balance: number, amount: number): RuleResult<{ balance: number; earned: number }> {
  if (!isCoins(balance)) return refuse("coins_invalid", `A coin balance must be a whole number from 0 to ${MAX_COINS}`);
  if (!isCoins(amount)) return refuse("coins_invalid", `Coins earned must be a whole number from 0 to ${MAX_COINS}`);
  const next = Math.min(MAX_COINS, balance + amount);
  return { ok: true, balance: next, earned: next - balance };
}

/** Buys one decoration: its price comes off the balance, which never goes below zero. */
export function buyDecoration(
  balance: number,
  decorationId: unknown,
): RuleResult<{ balance: number; decoration: DecorationInfo }> {
  if (!isCoins(balance)) return refuse("coins_invalid", `A coin balance must be a whole number from 0 to ${MAX_COINS}`);
  if (!isDecorationId(decorationId)) return refuse("decoration_unknown", "That decoration is not in the shop");
  const decoration = DECORATIONS[decorationId];
  if (balance < decoration.coins) {
    return refuse("coins_insufficient", `${decoration.nameEn} costs ${decoration.coins} coins; the balance is ${balance}`);
  }
  return { ok: true, balance: balance - decoration.coins, decoration };
}
