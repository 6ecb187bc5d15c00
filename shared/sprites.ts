/**
 * The art set (assets/sprites/*.svg, extracted by assets/sprites/extract.ts)
 * and the part of it an NGO may give a gift: the console shows GIFT_SPRITES as
 * a picker, the server refuses any other name. test/unit/sprites.test.ts keeps
 * both lists equal to the files on disk.
 */

/** Every sprite file in assets/sprites, by name (without ".svg"). */
export const ART_SPRITES = [
  "avatar-man", "avatar-person", "avatar-woman", "beehive", "bench", "carrot", "chickens", "coin", "cow",
  "crop-bud", "crop-growing", "crop-leaves", "crop-seed", "crop-sprout", "droplets", "emote-clap", "emote-laugh",
  "emote-wave", "farmer", "fence", "flower-bed", "flower", "fountain", "fruit-tree", "goat", "heart", "house",
  "lantern", "mailbox", "pine", "pumpkin", "rock", "scarecrow", "school-kit", "seed-bag", "sparkles", "sunflower",
  "tractor", "tree", "watering-can", "well", "wheat",
] as const;
export type ArtSprite = (typeof ART_SPRITES)[number];

/**
 * Sprites a gift may wear: the things that stand on a tile. Left out: avatars
 * and the farmer (people), emotes and feedback (coin, heart, sparkles,
 * droplets: the heart marks donated gifts) and the crop stages (a gift would
 * look like a crop growing).
 */
export const GIFT_SPRITES = [
  "seed-bag", "watering-can", "school-kit", "fruit-tree", "chickens", "goat", "beehive", "cow", "well", "tractor",
  "wheat", "carrot", "sunflower", "pumpkin", "flower", "flower-bed", "tree", "pine", "rock", "house", "fence",
  "mailbox", "lantern", "bench", "scarecrow", "fountain",
] as const satisfies readonly ArtSprite[];
export type GiftSprite = (typeof GIFT_SPRITES)[number];

export function isGiftSprite(value: unknown): value is GiftSprite {
  return typeof value === "string" && (GIFT_SPRITES as readonly string[]).includes(value);
}
