/**
 * window.hameau: a small read-only window on the game for end-to-end tests
 * (and curious players in the console). `ready` turns true once the room's
 * state has arrived and the scene has drawn its items.
 */
import type { ItemView, VillageModel } from "./village-model.ts";

export interface HameauHooks {
  ready: boolean;
  itemCount(): number;
  state(): { items: ItemView[] };
}

export function installHooks(model: VillageModel): HameauHooks {
  const hooks: HameauHooks = {
    ready: false,
    itemCount: () => model.items.size,
    state: () => ({ items: [...model.items.values()].map((item) => ({ ...item })) }),
  };
  // Assigned without a global declaration so tests may declare their own view of it.
  (window as Window & { hameau?: HameauHooks }).hameau = hooks;
  return hooks;
}
