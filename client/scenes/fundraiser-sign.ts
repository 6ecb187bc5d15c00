/**
 * The owner's fundraiser sign, standing by the gate: a wooden board on two
 * posts with the fundraiser's title and a small progress bar, drawn from the
 * VillageModel's sign (the room's state). Tapping it opens the fundraiser.
 * It is attached to the village scene from outside once the scene exists,
 * so the scene itself only knows about items and people.
 */
import * as Phaser from "phaser";
import { barFill, type SignFacts } from "../../shared/fundraisers.ts";
import { TILE_SIZE } from "../../shared/village.ts";
import type { VillageModel } from "../game/village-model.ts";

/** Board size in world pixels, and how high its posts lift it. */
const BOARD = { width: 212, height: 66 };
const POSTS = 22;
/**
 * Where its posts stand: on the top row, right of the house, where the toolbar never covers it
 * (on a phone it covers the bottom rows) and where gifts land last (they fill the plot from its centre).
 */
const FOOT = { x: 4.7 * TILE_SIZE, y: TILE_SIZE + 10 };
const WOOD = 0x9a6a3a;
const WOOD_DARK = 0x6b4522;
const PAPER = 0xfff6e0;

export interface SignDeps {
  model: VillageModel;
  /** A tap on the sign. */
  open(sign: SignFacts): void;
  /** "42 %" in the current language. */
  percentText(sign: SignFacts): string;
}

export class FundraiserSignLayer {
  private readonly scene: Phaser.Scene;
  private readonly deps: SignDeps;
  private readonly container: Phaser.GameObjects.Container;
  private readonly title: Phaser.GameObjects.Text;
  private readonly percent: Phaser.GameObjects.Text;
  private readonly bar: Phaser.GameObjects.Graphics;
  private sign: SignFacts | null = null;

  constructor(scene: Phaser.Scene, deps: SignDeps) {
    this.scene = scene;
    this.deps = deps;
    const frame = scene.add.graphics();
    const top = -BOARD.height - POSTS;
    // Two posts, the board, its paper face.
    frame.fillStyle(WOOD_DARK, 1).fillRect(-BOARD.width / 2 + 16, top + 10, 9, BOARD.height + POSTS - 10).fillRect(BOARD.width / 2 - 25, top + 10, 9, BOARD.height + POSTS - 10);
    frame.fillStyle(0x000000, 0.18).fillEllipse(0, 0, BOARD.width * 0.8, 12);
    frame.fillStyle(WOOD, 1).fillRoundedRect(-BOARD.width / 2, top, BOARD.width, BOARD.height, 8);
    frame.lineStyle(3, WOOD_DARK, 1).strokeRoundedRect(-BOARD.width / 2, top, BOARD.width, BOARD.height, 8);
    frame.fillStyle(PAPER, 1).fillRoundedRect(-BOARD.width / 2 + 7, top + 6, BOARD.width - 14, BOARD.height - 12, 5);
    this.title = scene.add
      .text(0, top + 11, "", { fontFamily: "system-ui, sans-serif", fontSize: "18px", fontStyle: "bold", color: "#4b3418", align: "center", resolution: 2 })
      .setOrigin(0.5, 0);
    this.bar = scene.add.graphics();
    this.percent = scene.add
      .text(BOARD.width / 2 - 14, top + BOARD.height - 14, "", { fontFamily: "system-ui, sans-serif", fontSize: "15px", fontStyle: "bold", color: "#3f7d2a", resolution: 2 })
      .setOrigin(1, 1);
    this.container = scene.add.container(FOOT.x, FOOT.y, [frame, this.title, this.bar, this.percent]).setDepth(FOOT.y).setVisible(false);
    this.container.setSize(BOARD.width, BOARD.height + POSTS);
    // The hit area is the board and posts, above the foot (a container's area is centred on its origin).
    this.container.setInteractive({
      hitArea: new Phaser.Geom.Rectangle(-BOARD.width / 2, top, BOARD.width, BOARD.height + POSTS), hitAreaCallback: Phaser.Geom.Rectangle.Contains, cursor: "pointer",
    });
    this.container.on(Phaser.Input.Events.GAMEOBJECT_POINTER_UP, () => {
      if (this.sign) deps.open(this.sign);
    });
    const unsubscribe = deps.model.subscribe({ sign: (s) => this.set(s), reset: () => this.set(null) });
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, unsubscribe);
    this.set(deps.model.sign);
  }

  /** What is drawn (test hooks): the sign's id, title and bar fill, or null. */
  inspect(): { id: string; title: string; fill: number; visible: boolean } | null {
    if (!this.sign) return null;
    return { id: this.sign.id, title: this.title.text, fill: barFill(this.sign, this.sign.goalCents), visible: this.container.visible };
  }

  /** Re-renders the percent in the current language. */
  render(): void {
    this.set(this.sign);
  }

  /** The title, cut with an ellipsis until it fits on the board's paper. */
  private fitTitle(title: string): void {
    const room = BOARD.width - 24;
    const chars = [...title];
    this.title.setText(title);
    for (let n = chars.length - 1; this.title.width > room && n > 1; n--) this.title.setText(`${chars.slice(0, n).join("").trimEnd()}…`);
  }

  set(sign: SignFacts | null): void {
    const appeared = !this.sign && sign;
    this.sign = sign;
    this.container.setVisible(sign !== null);
    if (!sign) return;
    this.fitTitle(sign.title);
    this.percent.setText(this.deps.percentText(sign));
    const top = -BOARD.height - POSTS;
    const x = -BOARD.width / 2 + 16;
    const y = top + BOARD.height - 26;
    const width = BOARD.width - 32 - 56;
    this.bar.clear();
    this.bar.fillStyle(0xe4d6b4, 1).fillRoundedRect(x, y, width, 12, 6);
    const fill = barFill(sign, sign.goalCents);
    if (fill > 0) this.bar.fillStyle(0x5a9e3a, 1).fillRoundedRect(x, y, Math.max(12, width * fill), 12, 6);
    if (appeared) {
      this.container.setScale(0.6);
      this.scene.tweens.add({ targets: this.container, scale: 1, duration: 350, ease: "Back.Out" });
    }
  }
}


