/**
 * The arrival of a paid gift: it drops from the sky with a bounce, lands in
 * a burst of sparkles and hearts, and its name floats up above it.
 */
import * as Phaser from "phaser";
import { spriteKey } from "./art.ts";
import type { ItemSprite } from "./ItemSprite.ts";

export function playArrival(scene: Phaser.Scene, sprite: ItemSprite, label: string | null, delay = 0): void {
  const c = sprite.container;
  const targetY = c.y;
  const foot = { x: c.x, y: c.y };
  scene.tweens.killTweensOf(c);
  c.setY(targetY - 320).setAlpha(0).setScale(1);
  c.setDepth(100_000);
  sprite.shadow.setAlpha(0);

  // The shadow on the ground grows as the gift falls towards it.
  const landingShadow = scene.add
    .image(foot.x, foot.y, "shadow")
    .setDisplaySize(sprite.size * 0.9, sprite.size * 0.26)
    .setDepth(foot.y - 1)
    .setScale(0.1)
    .setAlpha(0);
  const shadowScale = { x: (sprite.size * 0.9) / 64, y: (sprite.size * 0.26) / 24 };
  scene.tweens.add({ targets: landingShadow, scaleX: shadowScale.x, scaleY: shadowScale.y, alpha: 1, duration: 700, delay, ease: "Quad.easeIn" });

  scene.tweens.add({ targets: c, alpha: 1, duration: 200, delay });
  let landed = false;
  scene.tweens.add({
    targets: c,
    y: targetY,
    duration: 1000,
    delay,
    ease: "Bounce.easeOut",
    onUpdate: (tween) => {
      // First contact with the ground: the burst.
      if (tween.progress > 0.36 && !landed) {
        landed = true;
        burst(scene, foot.x, foot.y - sprite.size * 0.45);
        scene.cameras.main.shake(140, 0.0025);
      }
    },
    onComplete: () => {
      landingShadow.destroy();
      sprite.shadow.setAlpha(1);
      c.setDepth(foot.y);
      scene.tweens.add({ targets: c, scaleX: 1.16, scaleY: 0.86, duration: 110, yoyo: true, ease: "Quad.easeOut" });
      if (label) floatLabel(scene, foot.x, foot.y - sprite.size - 12, label);
    },
  });
}

/** Sparkles thrown out in a ring, hearts drifting up, a soft expanding ring. */
export function burst(scene: Phaser.Scene, x: number, y: number): void {
  const ring = scene.add.circle(x, y + 20, 20).setStrokeStyle(4, 0xffe27a, 1).setDepth(99_000);
  scene.tweens.add({ targets: ring, scale: 4, alpha: 0, duration: 650, ease: "Quad.easeOut", onComplete: () => ring.destroy() });

  const sparkles = scene.add.particles(0, 0, spriteKey("sparkles"), {
    speed: { min: 120, max: 260 },
    angle: { min: 0, max: 360 },
    lifespan: { min: 600, max: 1000 },
    scale: { start: 0.24, end: 0 },
    rotate: { min: -180, max: 180 },
    gravityY: 220,
    emitting: false,
  });
  sparkles.setDepth(100_001);
  sparkles.explode(18, x, y);

  const hearts = scene.add.particles(0, 0, spriteKey("heart"), {
    speedX: { min: -60, max: 60 },
    speedY: { min: -160, max: -90 },
    lifespan: { min: 1000, max: 1500 },
    scale: { start: 0.18, end: 0 },
    rotate: { min: -20, max: 20 },
    emitting: false,
  });
  hearts.setDepth(100_001);
  hearts.explode(8, x, y);

  const glints = scene.add.particles(0, 0, "spark", {
    speed: { min: 60, max: 180 },
    lifespan: 700,
    scale: { start: 0.8, end: 0 },
    tint: 0xffd34d,
    blendMode: Phaser.BlendModes.ADD,
    emitting: false,
  });
  glints.setDepth(100_002);
  glints.explode(24, x, y);

  scene.time.delayedCall(2200, () => {
    sparkles.destroy();
    hearts.destroy();
    glints.destroy();
  });
}

function floatLabel(scene: Phaser.Scene, x: number, y: number, text: string): void {
  const label = scene.add
    .text(x, y, text, {
      fontFamily: "system-ui, 'Segoe UI', sans-serif",
      fontSize: "22px",
      fontStyle: "bold",
      color: "#ffffff",
      stroke: "#b3541e",
      strokeThickness: 6,
      align: "center",
    })
    .setOrigin(0.5, 1)
    .setDepth(100_003)
    .setAlpha(0);
  // Readable even when the camera zooms far out (phones).
  const scale = Math.max(1, 0.75 / scene.cameras.main.zoom);
  label.setScale(scale * 0.6);
  scene.tweens.add({ targets: label, scale, alpha: 1, duration: 260, ease: "Back.easeOut" });
  scene.tweens.add({
    targets: label, y: y - 46, alpha: 0, delay: 1900, duration: 900, ease: "Quad.easeIn",
    onComplete: () => label.destroy(),
  });
}
