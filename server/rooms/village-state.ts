/** Maps village rows from the services to the room's synchronised state. */
import { helpersOf } from "../../shared/farming.ts";
import { VillageItem } from "../../shared/state.ts";
import type { VillageItemRow } from "../services/villages.ts";

export function toStateItem(row: VillageItemRow, ownerId: string): VillageItem {
  const item = new VillageItem({
    id: row.id, kind: row.kind, giftId: row.giftId ?? "", decorationId: row.decorationId ?? "", sprite: row.sprite,
    x: row.x ?? -1, y: row.y ?? -1, donated: row.giftId !== null, fromName: row.fromName ?? "",
    cropKind: "", plantedAt: 0, growthMs: 0, lastWateredAt: 0, helperCount: 0,
    monthlyStage: row.monthlyStage ?? 0,
  });
  applyCrop(item, row, ownerId);
  return item;
}

/** Copies a crop's growth to its state item: kind, planting time, growth gained, last watering, helpers. */
export function applyCrop(item: VillageItem, row: Pick<VillageItemRow, "crop">, ownerId: string): void {
  const crop = row.crop;
  item.cropKind = crop?.kind ?? "";
  item.plantedAt = crop?.plantedAt ?? 0;
  item.growthMs = crop?.growthMs ?? 0;
  item.lastWateredAt = crop?.waterings.at(-1)?.at ?? 0;
  item.helperCount = crop ? Math.min(255, helpersOf(crop, ownerId).length) : 0;
}
