/**
 * The village with a keyboard. The canvas takes the focus (Tab) and shows it
 * (an outline, and the tile cursor); the arrow keys move the cursor a tile at
 * a time (Home/End to a row's ends); Enter or Space acts on that tile as a tap
 * would (plant, water, harvest, walk, with the tool chosen). A polite live
 * region says which tile it is and what stands there, and the thing's label
 * shows over it as on hover.
 */
import { VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";
import type { ItemView } from "../game/village-model.ts";
import { onLocaleChange, t } from "../i18n.ts";
import type { TileCursor } from "./tile-cursor.ts";

export interface TileKeysDeps {
  canvas: HTMLCanvasElement;
  cursor: TileCursor;
  /** Where the cursor starts: my avatar's tile. */
  start(): { x: number; y: number };
  itemAt(x: number, y: number): ItemView | undefined;
  /** What stands there, in words (the hover label), or null. */
  describe(item: ItemView): string | null;
  /** Shows the hover label over the thing (none: hides it). */
  label(item: ItemView | undefined): void;
  /** Acts on the tile, as a tap on it does. */
  act(tile: { x: number; y: number }, item: ItemView | undefined): void;
}

const MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
  Home: [-VILLAGE_WIDTH, 0], End: [VILLAGE_WIDTH, 0],
};

export class TileKeys {
  private readonly deps: TileKeysDeps;
  private readonly status: HTMLElement;
  private tile: { x: number; y: number } | null = null;

  constructor(deps: TileKeysDeps) {
    this.deps = deps;
    const { canvas } = deps;
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "application");
    this.status = document.createElement("p");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.id = "village-tile-status";
    canvas.after(this.status);
    this.labelCanvas();
    const unsubscribe = onLocaleChange(() => this.labelCanvas());
    const onKey = (event: KeyboardEvent) => this.onKey(event);
    // A click or a tap focuses the canvas too: only the keyboard's focus shows the cursor on its own.
    const onFocus = () => canvas.matches(":focus-visible") && this.show();
    const onBlur = () => this.blur();
    canvas.addEventListener("keydown", onKey);
    canvas.addEventListener("focus", onFocus);
    canvas.addEventListener("blur", onBlur);
    this.dispose = () => {
      unsubscribe();
      canvas.removeEventListener("keydown", onKey);
      canvas.removeEventListener("focus", onFocus);
      canvas.removeEventListener("blur", onBlur);
      this.status.remove();
    };
  }

  readonly dispose: () => void;

  /** The tile the keyboard chose, while the village has the focus. */
  get current(): { x: number; y: number } | null {
    return document.activeElement === this.deps.canvas ? this.tile : null;
  }

  private labelCanvas(): void {
    this.deps.canvas.setAttribute("aria-label", t("village.keys"));
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const move = MOVES[event.key];
    if (move) {
      event.preventDefault();
      const from = this.tile ?? this.deps.start();
      this.tile = {
        x: Math.min(VILLAGE_WIDTH - 1, Math.max(0, from.x + move[0])), y: Math.min(VILLAGE_HEIGHT - 1, Math.max(0, from.y + move[1])),
      };
      this.show();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (event.repeat) return;
      const tile = this.tile ?? this.deps.start();
      this.tile = tile;
      this.deps.act(tile, this.deps.itemAt(tile.x, tile.y));
    }
  }

  /** Something came, changed or left at (x, y): said again if it is the chosen tile (planted, watered, harvested). */
  changedAt(x: number, y: number): void {
    const tile = this.current;
    if (tile && tile.x === x && tile.y === y) this.show();
  }

  /** The cursor and the label on the chosen tile, and the words for it. */
  private show(): void {
    this.tile ??= this.deps.start();
    const { x, y } = this.tile;
    this.deps.cursor.show(x, y);
    const item = this.deps.itemAt(x, y);
    this.deps.label(item);
    const what = item ? this.deps.describe(item) : null;
    this.status.textContent = what
      ? t("village.tileWith", { x: x + 1, y: y + 1, what: what.replace(/\n/g, ". ") })
      : t("village.tileFree", { x: x + 1, y: y + 1 });
  }

  private blur(): void {
    this.deps.cursor.hide();
    this.deps.label(undefined);
  }
}
