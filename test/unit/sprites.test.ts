import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ART_SPRITES, GIFT_SPRITES, isGiftSprite } from "../../shared/sprites.ts";
import { KNOWN_SPRITES } from "../../client/scenes/art.ts";

const onDisk = readdirSync(new URL("../../assets/sprites/", import.meta.url)).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4));

describe("the art set", () => {
  it("lists exactly the sprite files in assets/sprites", () => {
    expect([...ART_SPRITES].sort()).toEqual([...onDisk].sort());
    expect(new Set(ART_SPRITES).size).toBe(ART_SPRITES.length);
  });

  it("lets gifts wear only things of the art set the client knows, never a person, an emote or a crop stage", () => {
    for (const sprite of GIFT_SPRITES) {
      expect(onDisk).toContain(sprite);
      expect(KNOWN_SPRITES as readonly string[]).toContain(sprite);
      expect(sprite).not.toMatch(/^(avatar-|emote-|crop-)|^(farmer|heart|coin|sparkles|droplets)$/);
    }
    expect(isGiftSprite("goat")).toBe(true);
    expect(isGiftSprite("crop-sprout")).toBe(false);
    expect(isGiftSprite("../house")).toBe(false);
    expect(isGiftSprite(3)).toBe(false);
  });
});
