/**
 * Where the camera looks and how close, for a village box of a given size
 * with overlays along its bottom and left edges (the toolbar and its seed
 * picker, the emotes; client/game/overlay-insets.ts). The whole plot stays in
 * sight and never under an overlay: the fence and the grass around it may be.
 * Pure, so it is unit tested.
 */
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";
import type { Insets } from "../game/overlay-insets.ts";

const PLOT_W = VILLAGE_WIDTH * TILE_SIZE;
const PLOT_H = VILLAGE_HEIGHT * TILE_SIZE;
/** Room to keep around the plot when fitting it on screen (fence + tall sprites). */
const VIEW = { width: (VILLAGE_WIDTH + 2) * TILE_SIZE + 24, height: (VILLAGE_HEIGHT + 2) * TILE_SIZE + 40 };
/** Phones: the plot alone fills the width; the fence may be cut. */
const VIEW_NARROW = { width: PLOT_W + 16, height: PLOT_H + 72 };
/** Above the first row: its tall sprites (trees, the house) and the fence. */
const ABOVE = TILE_SIZE + 20;
/** Between the plot and an overlay (world px). */
const GAP = 8;

export function fitCamera(width: number, height: number, insets: Insets = { left: 0, bottom: 0 }): { zoom: number; x: number; y: number } {
  const view = width < 600 ? VIEW_NARROW : VIEW;
  const zoom = Math.min(1.75, Math.max(0.25, Math.min(
    width / view.width, height / view.height,
    (width - insets.left) / (PLOT_W + 2 * GAP), (height - insets.bottom) / (PLOT_H + ABOVE + GAP),
  )));
  let x = PLOT_W / 2;
  let y = PLOT_H / 2 - 10;
  // Centred, unless the plot's bottom edge would go under the bottom overlay or its left edge under the left one.
  const under = height / 2 + (PLOT_H - y) * zoom - (height - insets.bottom - GAP * zoom);
  if (under > 0) y += under / zoom;
  const behind = insets.left + GAP * zoom - (width / 2 - x * zoom);
  if (behind > 0) x -= behind / zoom;
  return { zoom, x, y };
}
