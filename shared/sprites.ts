/**
 * The art set (assets/sprites/*.svg, extracted by assets/sprites/extract.ts)
 * and the part of it an NGO may give a gift: the console shows GIFT_SPRITES as
 * a picker, the server refuses any other name. test/unit/sprites.test.ts keeps
 * both lists equal to the files on disk.
 */

/** Every sprite file in assets/sprites, by name (without ".svg"). */
export const ART_SPRITES = [
  "autumn-leaves", "avatar-man", "avatar-person", "avatar-woman", "beach-umbrella", "beehive", "bell", "bench", "cactus",
  "carousel-horse", "carrot", "castle", "cherry-tree", "chickens", "christmas-tree", "coin", "corn", "cow", "crop-bud",
  "crop-growing", "crop-leaves", "crop-seed", "crop-sprout", "dove", "droplets", "eggplant", "emote-clap", "emote-laugh",
  "emote-wave", "farmer", "fence", "ferris-wheel", "flower-bed", "flower", "fountain", "fruit-tree", "ghost", "goat", "grapes",
  "heart", "house", "hut", "kite", "lantern", "mailbox", "moai", "piece-bouquet", "piece-butterfly", "piece-cherries",
  "piece-clover", "piece-crystal", "piece-feather", "piece-gem", "piece-key", "piece-ladybug", "piece-lemon", "piece-peach",
  "piece-pear", "piece-ribbon", "piece-scroll", "piece-snail", "piece-teddy", "pine", "pumpkin", "rainbow", "rock", "rose",
  "scarecrow", "school-kit", "seed-bag", "snowman", "sparkles", "spring-chick", "strawberry", "sunflower", "tent", "tomato",
  "tractor", "tree", "watering-can", "watermelon", "well", "wheat", "wind-chime",
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
