// Extracts the sprites we use from the Fluent Emoji Flat icon set
// (@iconify-json/fluent-emoji-flat, MIT, © Microsoft Corporation) into
// standalone SVG files next to this script. See assets/LICENSE.md.
//
// Usage: node assets/sprites/extract.ts

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

/** Our sprite name → Fluent Emoji Flat icon name. */
export const SPRITES: Record<string, string> = {
  // gifts
  'seed-bag': 'seedling',
  'watering-can': 'potted-plant', // no watering-can emoji in the set
  chickens: 'chicken',
  goat: 'goat',
  beehive: 'honeybee',
  'fruit-tree': 'red-apple', // no fruit-tree emoji; deciduous-tree is used for decor
  well: 'droplet',
  cow: 'cow',
  'school-kit': 'books',
  tractor: 'tractor',
  // village decor
  house: 'house-with-garden',
  tree: 'deciduous-tree',
  pine: 'evergreen-tree',
  flower: 'sunflower',
  rock: 'rock',
  farmer: 'farmer',
  heart: 'red-heart',
  sparkles: 'sparkles',
  coin: 'coin',
  // crop stages (shared/farming.ts)
  'crop-seed': 'chestnut', // no seed emoji in the set
  'crop-sprout': 'seedling',
  'crop-growing': 'herb',
  'crop-leaves': 'leafy-green',
  'crop-bud': 'blossom', // no sunflower-bud emoji
  wheat: 'sheaf-of-rice', // no wheat emoji in the set
  carrot: 'carrot',
  sunflower: 'sunflower',
  pumpkin: 'jack-o-lantern', // no plain pumpkin emoji in the set
  // decorations bought with coins (shared/decorations.ts)
  fence: 'wood', // no fence emoji; a stack of logs
  'flower-bed': 'tulip',
  mailbox: 'closed-mailbox-with-raised-flag',
  lantern: 'red-paper-lantern',
  bench: 'chair', // no bench emoji in the set
  scarecrow: 'womans-hat', // no scarecrow emoji; a sun hat stands in
  fountain: 'fountain',
  rose: 'rose',
  cactus: 'cactus',
  'wind-chime': 'wind-chime',
  tent: 'tent',
  hut: 'hut',
  'cherry-tree': 'cherry-blossom',
  bell: 'bell',
  kite: 'kite',
  rainbow: 'rainbow',
  castle: 'castle',
  // more crops (shared/farming.ts)
  tomato: 'tomato',
  strawberry: 'strawberry',
  corn: 'ear-of-corn',
  eggplant: 'eggplant',
  grapes: 'grapes',
  watermelon: 'watermelon',
  // seasonal decorations (shared/seasons.ts)
  snowman: 'snowman',
  'christmas-tree': 'christmas-tree',
  'spring-chick': 'hatching-chick',
  'beach-umbrella': 'umbrella-on-ground',
  'autumn-leaves': 'maple-leaf',
  ghost: 'ghost',
  // collections: the pieces and the decorations a complete set grants (shared/collections.ts)
  'piece-ladybug': 'lady-beetle',
  'piece-butterfly': 'butterfly',
  'piece-snail': 'snail',
  'piece-clover': 'four-leaf-clover',
  'piece-cherries': 'cherries',
  'piece-pear': 'pear',
  'piece-peach': 'peach',
  'piece-lemon': 'lemon',
  'piece-key': 'old-key',
  'piece-scroll': 'scroll',
  'piece-crystal': 'crystal-ball',
  'piece-gem': 'gem-stone',
  'piece-feather': 'feather',
  'piece-ribbon': 'ribbon',
  'piece-teddy': 'teddy-bear',
  'piece-bouquet': 'bouquet',
  'ferris-wheel': 'ferris-wheel',
  'carousel-horse': 'carousel-horse',
  moai: 'moai',
  dove: 'dove',
  // avatars: the owner is the farmer, visitors one of these (client/scenes/AvatarSprite.ts)
  'avatar-person': 'person',
  'avatar-woman': 'woman',
  'avatar-man': 'man',
  // emotes (shared/messages.ts EMOTES; heart and sparkles are above)
  'emote-wave': 'waving-hand',
  'emote-laugh': 'face-with-tears-of-joy',
  'emote-clap': 'clapping-hands',
  // farming feedback
  'droplets': 'sweat-droplets',
};

interface IconData {
  body: string;
  width?: number;
  height?: number;
  left?: number;
  top?: number;
}

interface IconSet {
  prefix: string;
  width?: number;
  height?: number;
  left?: number;
  top?: number;
  icons: Record<string, IconData>;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const setPath = require.resolve('@iconify-json/fluent-emoji-flat/icons.json');
const set = JSON.parse(readFileSync(setPath, 'utf8')) as IconSet;

const missing = Object.entries(SPRITES).filter(([, icon]) => !Object.hasOwn(set.icons, icon));
if (missing.length > 0) {
  const list = missing.map(([ours, icon]) => `${ours} → ${icon}`).join(', ');
  throw new Error(`Icons missing from ${set.prefix} set: ${list}`);
}

for (const [ours, iconName] of Object.entries(SPRITES)) {
  const icon = set.icons[iconName];
  if (icon === undefined) throw new Error(`Icon missing: ${iconName}`);
  const left = icon.left ?? set.left ?? 0;
  const top = icon.top ?? set.top ?? 0;
  const width = icon.width ?? set.width ?? 16;
  const height = icon.height ?? set.height ?? 16;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${left} ${top} ${width} ${height}" ` +
    `width="${width}" height="${height}">${icon.body}</svg>\n`;
  const out = join(here, `${ours}.svg`);
  writeFileSync(out, svg);
  console.log(`${ours}.svg ← ${set.prefix}:${iconName}`);
}
