/**
 * Life that belongs to no one: cloud shadows drifting over the village and
 * a few butterflies wandering between the flowers. Purely decorative.
 */
import * as Phaser from "phaser";
import { TILE_SIZE, VILLAGE_HEIGHT, VILLAGE_WIDTH } from "../../shared/village.ts";

const W = VILLAGE_WIDTH * TILE_SIZE;
const H = VILLAGE_HEIGHT * TILE_SIZE;

export function startAmbientLife(scene: Phaser.Scene): void {
  for (let i = 0; i < 3; i++) driftCloud(scene, i);
  const colours = [0xff9ec4, 0xffd23f, 0x9fd3ff];
  colours.forEach((tint, i) => flutter(scene, tint, i));
}

function driftCloud(scene: Phaser.Scene, index: number): void {
  const cloud = scene.add
    .image(0, 0, "cloud")
    .setScale(1.6 + index * 0.4)
    .setAlpha(0.5)
    .setDepth(90_000);
  const y = H * (0.15 + index * 0.33);
  const duration = 70_000 + index * 17_000;
  cloud.setPosition(-500 + (W + 1000) * ((index * 0.37) % 1), y);
  const loop = () => {
    scene.tweens.add({
      targets: cloud, x: W + 500, duration: duration * ((W + 500 - cloud.x) / (W + 1000)), ease: "Linear",
      onComplete: () => {
        cloud.setX(-500);
        loop();
      },
    });
  };
  loop();
}

function flutter(scene: Phaser.Scene, tint: number, index: number): void {
  const butterfly = scene.add.image(W * (0.2 + index * 0.3), H * (0.3 + index * 0.2), "butterfly").setTint(tint).setDepth(95_000);
  scene.tweens.add({ targets: butterfly, scaleX: 0.25, duration: 110 + index * 15, yoyo: true, repeat: -1, ease: "Sine.easeInOut" });
  const wander = () => {
    const x = Phaser.Math.Clamp(butterfly.x + Phaser.Math.Between(-160, 160), 20, W - 20);
    const y = Phaser.Math.Clamp(butterfly.y + Phaser.Math.Between(-110, 110), 20, H - 20);
    butterfly.setFlipX(x < butterfly.x);
    scene.tweens.add({
      targets: butterfly, x, y, duration: Phaser.Math.Between(1800, 3200), ease: "Sine.easeInOut",
      delay: Phaser.Math.Between(0, 900), onComplete: wander,
    });
  };
  wander();
}
