/**
 * Decorations bought with coins, the soft currency earned by farming. Coins
 * are whole numbers from 0 to MAX_COINS; they never turn into money or into
 * donated gifts, and nothing here touches an order or a payment.
 */
import { type RuleResult, refuse } from "./errors.ts";

/** No balance grows past a million coins. */
export const MAX_COINS = 1_000_000;

export const DECORATION_IDS = [
  "fence", "flower-bed", "mailbox", "lantern", "rose", "bench", "cactus", "scarecrow", "wind-chime", "tent", "fountain", "hut",
  "cherry-tree", "bell", "kite", "rainbow", "castle",
  // seasonal (shared/seasons.ts says when each is in the shop)
  "snowman", "christmas-tree", "spring-chick", "beach-umbrella", "autumn-leaves", "ghost",
  // granted by a complete collection (shared/collections.ts), never sold
  "ferris-wheel", "carousel-horse", "moai", "dove",
] as const;
export type DecorationId = (typeof DECORATION_IDS)[number];

/** Where a decoration comes from: the shop all year, the shop in its season, or a complete collection only. */
export type DecorationSource = "shop" | "season" | "collection";

export interface DecorationInfo {
  readonly id: DecorationId;
  /** Price in coins (0 for a collection's reward: it is never sold). */
  readonly coins: number;
  /** The level a player needs to buy it (1: open from the start). */
  readonly level: number;
  readonly source: DecorationSource;
  /** Sprite key in assets/sprites. */
  readonly sprite: string;
  readonly nameFr: string;
  readonly nameEn: string;
}

type Row = [id: DecorationId, coins: number, level: number, source: DecorationSource, nameFr: string, nameEn: string];
const ROWS: readonly Row[] = [
  ["fence", 10, 1, "shop", "Clôture", "Fence"],
  ["flower-bed", 20, 1, "shop", "Parterre de fleurs", "Flower bed"],
  ["mailbox", 30, 1, "shop", "Boîte aux lettres", "Mailbox"],
  ["lantern", 40, 1, "shop", "Lanterne", "Lantern"],
  ["rose", 35, 2, "shop", "Rosier", "Rose bush"],
  ["bench", 60, 2, "shop", "Banc", "Bench"],
  ["cactus", 50, 3, "shop", "Cactus", "Cactus"],
  ["scarecrow", 80, 3, "shop", "Épouvantail", "Scarecrow"],
  ["wind-chime", 70, 4, "shop", "Carillon", "Wind chime"],
  ["tent", 100, 4, "shop", "Tente", "Tent"],
  ["fountain", 150, 5, "shop", "Fontaine", "Fountain"],
  ["hut", 180, 5, "shop", "Cabane", "Hut"],
  ["cherry-tree", 160, 6, "shop", "Cerisier en fleurs", "Cherry tree in bloom"],
  ["bell", 170, 6, "shop", "Cloche", "Bell"],
  ["kite", 180, 7, "shop", "Cerf-volant", "Kite"],
  ["rainbow", 190, 8, "shop", "Arc-en-ciel", "Rainbow"],
  ["castle", 200, 10, "shop", "Château", "Castle"],
  ["snowman", 60, 1, "season", "Bonhomme de neige", "Snowman"],
  ["christmas-tree", 80, 1, "season", "Sapin de Noël", "Christmas tree"],
  ["spring-chick", 50, 1, "season", "Poussin de printemps", "Spring chick"],
  ["beach-umbrella", 70, 1, "season", "Parasol", "Beach umbrella"],
  ["autumn-leaves", 40, 1, "season", "Feuilles d'automne", "Autumn leaves"],
  ["ghost", 66, 1, "season", "Fantôme", "Ghost"],
  ["ferris-wheel", 0, 1, "collection", "Grande roue", "Ferris wheel"],
  ["carousel-horse", 0, 1, "collection", "Cheval de manège", "Carousel horse"],
  ["moai", 0, 1, "collection", "Statue mystérieuse", "Mystery statue"],
  ["dove", 0, 1, "collection", "Colombe de l'amitié", "Dove of friendship"],
];

/** Every decoration: the shop's by level then price, then the seasonal ones, then the collections' rewards. */
export const DECORATIONS: Readonly<Record<DecorationId, DecorationInfo>> = Object.fromEntries(
  ROWS.map(([id, coins, level, source, nameFr, nameEn]) => [id, { id, coins, level, source, sprite: id, nameFr, nameEn }]),
) as Record<DecorationId, DecorationInfo>;

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
  if (decoration.source === "collection") return refuse("not_for_sale", `${decoration.nameEn} comes only with a complete collection`);
  if (balance < decoration.coins) {
    return refuse("coins_insufficient", `${decoration.nameEn} costs ${decoration.coins} coins; the balance is ${balance}`);
  }
  return { ok: true, balance: balance - decoration.coins, decoration };
}
