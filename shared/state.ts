/**
 * The village room's synchronised state (@colyseus/schema 5, decorator-free).
 * The server mutates it; every client in the room receives the patches.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

/** What a village item is: starter decor, a donated gift, a decoration bought with coins, or a crop. */
export const ITEM_KINDS = ["decor", "gift", "decoration", "crop"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/**
 * A thing standing in the village. x/y are -1 while it waits in the barn.
 * Crops carry their growth (shared/farming.ts); the client computes the stage
 * from the time, so nothing needs to be sent while a crop grows.
 */
export const VillageItem = schema(
  {
    id: t.string(),
    /** One of ITEM_KINDS. */
    kind: t.string(),
    /** Catalog gift id for donated gifts, "" otherwise. */
    giftId: t.string(),
    /** Decoration id (shared/decorations.ts) for decorations, "" otherwise. */
    decorationId: t.string(),
    sprite: t.string(),
    x: t.int8(),
    y: t.int8(),
    /** True only for gifts backed by a paid donation. */
    donated: t.boolean(),
    /** For a gift given by someone else: the giver's name when they allowed it, "" otherwise. Never an amount. */
    fromName: t.string(),
    /** Crops only ("" otherwise): kind, planting time (epoch ms), growth gained by watering. */
    cropKind: t.string(),
    plantedAt: t.float64(),
    growthMs: t.uint32(),
    /** Crops only: when it was last watered (epoch ms, 0 never), and how many players other than the owner helped. */
    lastWateredAt: t.float64(),
    helperCount: t.uint8(),
    /**
     * A monthly gift's item (shared/monthly-gifts.ts): its growth stage, 1..4 (0 for any other thing).
     * Only the stage, which is how big it is drawn: never the months or the amount given.
     */
    monthlyStage: t.uint8().default(0),
  },
  "VillageItem",
);
export type VillageItem = SchemaType<typeof VillageItem>;

/** Someone currently in the village: the owner or a visitor, with their avatar. */
export const VillagePresence = schema(
  {
    playerId: t.string(),
    name: t.string(),
    isOwner: t.boolean(),
    /** Where the avatar stands (tile coordinates, fractions allowed). */
    x: t.float32(),
    y: t.float32(),
    /** The last emote, and a counter that changes each time one is shown (the same emote twice too). */
    emote: t.string(),
    emoteSeq: t.uint16(),
    /** False while a dropped connection may still come back. */
    connected: t.boolean(),
  },
  "VillagePresence",
);
export type VillagePresence = SchemaType<typeof VillagePresence>;

/**
 * The owner's fundraiser sign (shared/fundraisers.ts): their newest active fundraiser, "" id for
 * none. Amounts are the fundraiser's as a whole (a public goal its owner chose); donors a count only.
 */
export const FundraiserSign = schema(
  {
    id: t.string().default(""),
    title: t.string().default(""),
    /** Raised and goal, in integer cents. */
    raised: t.float64().default(0),
    goal: t.float64().default(0),
    donors: t.uint32().default(0),
    percent: t.uint32().default(0),
    currency: t.string().default(""),
  },
  "FundraiserSign",
);
export type FundraiserSign = SchemaType<typeof FundraiserSign>;

export const VillageState = schema(
  {
    villageId: t.string(),
    ownerId: t.string(),
    name: t.string(),
    width: t.uint8(),
    height: t.uint8(),
    items: t.map(VillageItem),
    players: t.map(VillagePresence),
    fundraiser: t.ref(FundraiserSign),
  },
  "VillageState",
);
export type VillageState = SchemaType<typeof VillageState>;
