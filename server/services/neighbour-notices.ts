/**
 * The views of the neighbours' notifications (notifications.ts reads them):
 * crops_helped ("Bob watered your wheat ×3", help-notices.ts) and
 * thanks_received (a village I gave into thanked me, thanks.ts). Only what
 * the stored payload says, checked; anything malformed is not shown.
 */
import type { Translated } from "../../shared/api.ts";
import { isDecorationId, DECORATIONS } from "../../shared/decorations.ts";
import type { CropsHelpedPayload, NotificationGift, ThanksReceivedPayload } from "../../shared/notifications.ts";

type NeighbourNotice =
  | { kind: "crops_helped"; payload: CropsHelpedPayload }
  | { kind: "thanks_received"; payload: ThanksReceivedPayload };

export function neighbourNotice(
  kind: "crops_helped" | "thanks_received", payload: Record<string, unknown>, gift: (giftId: string, quantity: number) => NotificationGift,
): NeighbourNotice | null {
  if (kind === "crops_helped") {
    const { playerId, name, count, crops } = payload;
    if (typeof playerId !== "string" || typeof name !== "string" || name === "" || typeof count !== "number" || !Array.isArray(crops)) return null;
    return { kind, payload: { helper: { id: playerId, name }, count, crops: crops.filter((c): c is string => typeof c === "string") } };
  }
  const { orderId, villageName, note, decorationId, gifts } = payload;
  if (typeof orderId !== "string" || typeof villageName !== "string") return null;
  const decoration = isDecorationId(decorationId)
    ? { id: decorationId, sprite: DECORATIONS[decorationId].sprite, name: { fr: DECORATIONS[decorationId].nameFr, en: DECORATIONS[decorationId].nameEn } satisfies Translated }
    : null;
  const lines = Array.isArray(gifts)
    ? gifts.flatMap((g: unknown) => {
      const { giftId, quantity } = (g ?? {}) as { giftId?: unknown; quantity?: unknown };
      return typeof giftId === "string" && typeof quantity === "number" ? [gift(giftId, quantity)] : [];
    })
    : [];
  return { kind, payload: { orderId, villageName, note: typeof note === "string" ? note : null, decoration, gifts: lines } };
}
