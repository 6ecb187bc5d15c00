/**
 * The art the scenes use: texture keys, where each file is served, and how
 * big each kind of thing stands in the village. SVGs are rasterised at twice
 * their display size so they stay crisp when the camera zooms in.
 */
export const TILE_TEXTURES = ["grass-1", "grass-2", "grass-3", "path", "soil", "water", "fence", "highlight"] as const;
export type TileTexture = (typeof TILE_TEXTURES)[number];

/** Every sprite in assets/sprites; items naming another sprite are loaded on demand. */
export const KNOWN_SPRITES = [
  "beehive", "chickens", "coin", "cow", "farmer", "flower", "fruit-tree", "goat", "heart", "house",
  "pine", "rock", "school-kit", "seed-bag", "sparkles", "tractor", "tree", "watering-can", "well",
  // crops (shared/farming.ts), decorations (shared/decorations.ts), avatars, emotes, farming feedback
  "crop-seed", "crop-sprout", "crop-growing", "crop-leaves", "crop-bud", "wheat", "carrot", "sunflower", "pumpkin",
  "tomato", "strawberry", "corn", "eggplant", "grapes", "watermelon",
  "fence", "flower-bed", "mailbox", "lantern", "bench", "scarecrow", "fountain", "rose", "cactus", "wind-chime", "tent",
  "hut", "cherry-tree", "bell", "kite", "rainbow", "castle",
  // seasonal decorations (shared/seasons.ts) and what a complete collection grants (shared/collections.ts)
  "snowman", "christmas-tree", "spring-chick", "beach-umbrella", "autumn-leaves", "ghost",
  "ferris-wheel", "carousel-horse", "moai", "dove",
  "avatar-person", "avatar-woman", "avatar-man", "emote-wave", "emote-laugh", "emote-clap", "droplets",
] as const;

/** The sprite shown while an unknown one loads, or when it cannot be found. */
export const FALLBACK_SPRITE = "coin";

export const TILE_RASTER = 128;
export const SPRITE_RASTER = 128;

/**
 * The boot art packed into one atlas at build time (client/build/sprite-atlas.ts):
 * every known sprite and every tile but the meadow's (a repeating TileSprite
 * wants a texture of its own). Each is drawn at ATLAS_RASTER px, as before.
 */
export const ATLAS_RASTER = 128;
export const ATLAS_SPRITES: readonly string[] = KNOWN_SPRITES;
export const MEADOW_TILE: TileTexture = "grass-3";
export const ATLAS_TILES: readonly TileTexture[] = TILE_TEXTURES.filter((t) => t !== MEADOW_TILE);
/** Texture key (spriteKey / tileKey) → its rectangle in the atlas image. */
export type AtlasFrames = Record<string, { x: number; y: number; w: number; h: number }>;

export const tileKey = (name: string) => `tile:${name}`;
export const spriteKey = (name: string) => `sprite:${name}`;
export const tileUrl = (name: string) => `/assets/tiles/${encodeURIComponent(name)}.svg`;
export const spriteUrl = (name: string) => `/assets/sprites/${encodeURIComponent(name)}.svg`;

/** Display size (px at zoom 1) of each sprite standing on a 64 px tile. */
const SIZES: Record<string, number> = {
  house: 88, tree: 76, pine: 76, "fruit-tree": 56, cow: 66, tractor: 64, well: 50, rock: 50, flower: 54,
  "seed-bag": 50, "watering-can": 54, "school-kit": 52, chickens: 56, goat: 60, beehive: 50, farmer: 58,
  castle: 86, "ferris-wheel": 80, hut: 70, tent: 64, "cherry-tree": 72, "christmas-tree": 70, rainbow: 70, moai: 62,
};
export function spriteSize(sprite: string): number {
  return SIZES[sprite] ?? 58;
}

export type IdleMotion = "hop" | "sway" | "breathe" | "buzz" | "none";

/** How each thing moves when idle: animals hop, plants sway. */
const MOTIONS: Record<string, IdleMotion> = {
  chickens: "hop", goat: "hop", cow: "hop", farmer: "hop",
  tree: "sway", pine: "sway", "fruit-tree": "sway", flower: "sway", "seed-bag": "breathe", "watering-can": "sway",
  beehive: "buzz", well: "breathe", tractor: "breathe", "school-kit": "breathe",
  house: "none", rock: "none", castle: "none", hut: "none", moai: "none",
  rose: "sway", cactus: "sway", "cherry-tree": "sway", "christmas-tree": "sway", kite: "sway", "wind-chime": "sway",
  "spring-chick": "hop", dove: "hop", ghost: "buzz", "autumn-leaves": "sway",
  tomato: "sway", strawberry: "sway", corn: "sway", eggplant: "sway", grapes: "sway", watermelon: "none",
};
export function idleMotion(sprite: string): IdleMotion {
  return MOTIONS[sprite] ?? "breathe";
}

/** The picture of each emote (shared/messages.ts EMOTES). */
const EMOTE_SPRITES: Record<string, string> = {
  wave: "emote-wave", heart: "heart", laugh: "emote-laugh", clap: "emote-clap", sparkles: "sparkles",
};
export function emoteSprite(emote: string): string {
  return EMOTE_SPRITES[emote] ?? "sparkles";
}

const VISITOR_SPRITES = ["avatar-person", "avatar-woman", "avatar-man"] as const;
/** The owner is the village's farmer; a visitor keeps the same look in every village (from their id). */
export function avatarSprite(playerId: string, isOwner: boolean): string {
  if (isOwner) return "farmer";
  let h = 0;
  for (let i = 0; i < playerId.length; i++) h = (Math.imul(h, 31) + playerId.charCodeAt(i)) | 0;
  return VISITOR_SPRITES[Math.abs(h) % VISITOR_SPRITES.length] ?? "avatar-person";
}
