/**
 * The demo neighbour: a public village, seeded with the demo NGO (SEED_DEMO),
 * that the tutorial takes a new player to visit, so visiting is learnt before
 * having friends. Its player has no account and no session: nobody plays it.
 * Fixed ids make the seed idempotent; only missing rows are added, so a
 * restart never undoes what visitors did (watering refused on ripe crops).
 */
import { and, eq, sql } from "drizzle-orm";
import { CROPS, type CropKind } from "../../shared/farming.ts";
import { DECORATIONS, type DecorationId } from "../../shared/decorations.ts";
import type { Db, Tx } from "./connect.ts";
import { players, villageItems, villages } from "./schema.ts";

export const DEMO_NEIGHBOUR = {
  playerId: "6d656e65-6967-4862-8f75-720000000001",
  villageId: "6d656e65-6967-4862-8f75-720000000002",
  name: "Capucine (démo)",
} as const;

/** Long ago: every crop of the neighbour is ripe. */
const PLANTED_AT = Date.UTC(2026, 0, 1);

const DECOR: Array<{ sprite: string; x: number; y: number }> = [
  { sprite: "house", x: 1, y: 1 },
  { sprite: "fruit-tree", x: 0, y: 5 },
  { sprite: "tree", x: 4, y: 1 },
  { sprite: "pine", x: 10, y: 1 },
  { sprite: "pine", x: 11, y: 8 },
  { sprite: "flower", x: 3, y: 6 },
];
const DECORATION_TILES: Array<{ id: DecorationId; x: number; y: number }> = [
  { id: "fountain", x: 3, y: 2 },
  { id: "bench", x: 5, y: 2 },
  { id: "flower-bed", x: 2, y: 6 },
  { id: "scarecrow", x: 9, y: 5 },
  { id: "lantern", x: 7, y: 5 },
];
const CROP_TILES: Array<{ kind: CropKind; x: number; y: number }> = [
  { kind: "sunflower", x: 8, y: 6 },
  { kind: "wheat", x: 9, y: 6 },
  { kind: "carrot", x: 10, y: 6 },
  { kind: "pumpkin", x: 8, y: 7 },
  { kind: "wheat", x: 9, y: 7 },
  { kind: "sunflower", x: 10, y: 7 },
];

async function addItems(tx: Tx): Promise<void> {
  const villageId = DEMO_NEIGHBOUR.villageId;
  const rows = [
    ...DECOR.map((d) => ({ villageId, ...d })),
    ...DECORATION_TILES.map((d) => ({ villageId, decorationId: d.id, sprite: DECORATIONS[d.id].sprite, x: d.x, y: d.y })),
    ...CROP_TILES.map((c) => ({
      villageId, sprite: CROPS[c.kind].sprites.ripe, x: c.x, y: c.y,
      crop: { kind: c.kind, plantedAt: PLANTED_AT, growthMs: 0, waterings: [] },
    })),
  ];
  await tx.insert(villageItems).values(rows);
}

/** Seeds the demo neighbour once (its player, its public village and what stands in it). */
export async function seedDemoNeighbour(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(players)
      .values({ id: DEMO_NEIGHBOUR.playerId, displayName: DEMO_NEIGHBOUR.name, villageVisibility: "public" })
      .onConflictDoNothing({ target: players.id });
    const created = await tx.insert(villages)
      .values({ id: DEMO_NEIGHBOUR.villageId, ownerId: DEMO_NEIGHBOUR.playerId, name: DEMO_NEIGHBOUR.name })
      .onConflictDoNothing()
      .returning({ id: villages.id });
    if (created.length > 0) await addItems(tx);
  });
}

/** The demo neighbour to visit, if it is there and still public (null on a server without the demo data). */
export async function demoNeighbour(db: Db): Promise<{ villageId: string; name: string } | null> {
  const [row] = await db
    .select({ villageId: villages.id, name: players.displayName })
    .from(villages)
    .innerJoin(players, eq(players.id, villages.ownerId))
    .where(and(eq(villages.id, DEMO_NEIGHBOUR.villageId), eq(players.villageVisibility, "public"), sql`${players.deletedAt} is null`));
  return row ?? null;
}
