/**
 * Which sound goes with what happens in the game: a crop planted, watered or
 * harvested, coins earned, a paid gift arriving, a level reached, an error
 * shown, a button pressed. Sounds follow what the server confirmed (the
 * village's state and messages), never a guess.
 */
import type { SoundEffect } from "../../shared/sound.ts";
import type { VillageModel } from "../game/village-model.ts";
import type { Toast } from "../ui/toast.ts";

export function installCues(deps: { model: VillageModel; toast: Toast; play(effect: SoundEffect): void }): void {
  const { play } = deps;
  let coins: number | null = null;
  deps.model.subscribe({
    // Another village (or the same one joined again): its coins are not earned now.
    reset: () => (coins = null),
    add: (item, initial) => {
      if (!initial && item.kind === "crop") play("plant");
    },
    watered: () => play("water"),
    harvested: () => play("harvest"),
    arrived: () => play("gift"),
    ownerView: (view) => {
      if (coins !== null && view.coins > coins) setTimeout(() => play("coins"), 180);
      coins = view.coins;
    },
  });
  deps.toast.watch((kind) => kind === "error" && play("error"));
  // A press of any button of the page (the canvas's taps have their own sounds).
  document.addEventListener("click", (event) => {
    if ((event.target as Element | null)?.closest?.("button")) play("click");
  }, true);
}
