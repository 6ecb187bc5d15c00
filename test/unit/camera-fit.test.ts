/** The village camera's fit: the whole plot in sight, never under the toolbar (bottom) or the emotes (left). */
import { describe, expect, it } from "vitest";
import { fitCamera } from "../../client/scenes/camera-fit.ts";
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";

/** Where the plot's edges land in the box (px), for a camera centred on (x, y) at this zoom. */
function plotOnScreen(width: number, height: number, view: { zoom: number; x: number; y: number }) {
  const left = width / 2 - view.x * view.zoom;
  const top = height / 2 - view.y * view.zoom;
  return { left, top, right: left + VILLAGE_WIDTH * TILE_SIZE * view.zoom, bottom: top + VILLAGE_HEIGHT * TILE_SIZE * view.zoom };
}

describe("fitCamera", () => {
  it("with no overlay, centres the plot with its fence as before", () => {
    const view = fitCamera(880, 740);
    expect(view.zoom).toBeCloseTo(Math.min(880 / ((VILLAGE_WIDTH + 2) * TILE_SIZE + 24), 740 / ((VILLAGE_HEIGHT + 2) * TILE_SIZE + 40)));
    expect(view.x).toBe((VILLAGE_WIDTH * TILE_SIZE) / 2);
    expect(view.y).toBe((VILLAGE_HEIGHT * TILE_SIZE) / 2 - 10);
  });

  it("keeps every tile above the toolbar and right of the emotes, and the whole plot in sight", () => {
    const boxes = [[880, 740], [966, 708], [880, 660], [624, 708], [421, 540], [600, 540], [1520, 1020], [390, 335]] as const;
    const insets = [{ left: 0, bottom: 0 }, { left: 0, bottom: 73 }, { left: 0, bottom: 142 }, { left: 64, bottom: 150 }, { left: 64, bottom: 0 }];
    for (const [width, height] of boxes) {
      for (const inset of insets) {
        const view = fitCamera(width, height, inset);
        const plot = plotOnScreen(width, height, view);
        const where = `${width}×${height} ${JSON.stringify(inset)}`;
        expect(plot.bottom, where).toBeLessThanOrEqual(height - inset.bottom + 1e-6);
        expect(plot.left, where).toBeGreaterThanOrEqual(inset.left - 1e-6);
        expect(plot.right, where).toBeLessThanOrEqual(width + 1e-6);
        expect(plot.top, where).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
