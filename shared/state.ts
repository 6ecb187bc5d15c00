/**
 * The village room's synchronised state (@colyseus/schema 5, decorator-free).
 * The server mutates it; every client in the room receives the patches.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

/** A thing standing in the village. x/y are -1 while it waits in the barn. */
export const VillageItem = schema(
  {
    id: t.string(),
    /** Catalog gift id for donated gifts, "" for free decor. */
    giftId: t.string(),
    sprite: t.string(),
    x: t.int8(),
    y: t.int8(),
    /** True only for gifts backed by a paid donation. */
    donated: t.boolean(),
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

export const VillageState = schema(
  {
    villageId: t.string(),
    ownerId: t.string(),
    name: t.string(),
    width: t.uint8(),
    height: t.uint8(),
    items: t.map(VillageItem),
    players: t.map(VillagePresence),
  },
  "VillageState",
);
export type VillageState = SchemaType<typeof VillageState>;
