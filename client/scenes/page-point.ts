/** Between the page and the village: where a world point shows, and whether a press was on the canvas at all. */
import type * as Phaser from "phaser";

/** Where a world point of the village shows on the page (CSS px), through the main camera and the canvas's scaling. */
export function worldToPage(scene: Phaser.Scene, wx: number, wy: number): { x: number; y: number } {
  const cam = scene.cameras.main;
  const rect = scene.game.canvas.getBoundingClientRect();
  const scale = rect.width / scene.scale.width;
  const sx = (wx - cam.worldView.x) * cam.zoom + cam.x;
  const sy = (wy - cam.worldView.y) * cam.zoom + cam.y;
  return { x: rect.left + sx * scale, y: rect.top + sy * scale };
}

/**
 * A press on the page over the canvas (a menu, a toolbar button): Phaser still
 * reports it to what lies under it, but it is not a tap in the village.
 */
export function pressedOnPage(pointer: Phaser.Input.Pointer, scene: Phaser.Scene): boolean {
  return pointer.downElement !== undefined && pointer.downElement !== null && pointer.downElement !== scene.game.canvas;
}
