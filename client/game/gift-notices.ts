/**
 * What the village room says about gifts leaving or coming back, told to the
 * player: which gifts (by name, in the current language) and why.
 */
import type { CatalogGift } from "../../shared/api.ts";
import type { GiftRestoredMessage, GiftWithdrawnMessage } from "../../shared/messages.ts";
import { pick, t } from "../i18n.ts";
import type { Toast } from "../ui/toast.ts";

type Gifts = ReadonlyMap<string, CatalogGift>;

/** The distinct names of the gifts these items are, "?" for one the client does not know. */
function giftNames(gifts: Gifts, items: ReadonlyArray<{ giftId: string }>): string {
  return [...new Set(items.map((i) => (gifts.get(i.giftId) ? pick(gifts.get(i.giftId)!.name) : "?")))].join(", ");
}

/** Says which gifts left the village, and why: a refund or a lost payment dispute. */
export function showWithdrawn(toast: Toast, gifts: Gifts, message: GiftWithdrawnMessage): void {
  const key = message.reason === "refunded" ? "withdrawn.refunded" : "withdrawn.disputeLost";
  toast.show(() => t(key, { names: giftNames(gifts, message.items) }), "error", { sticky: true });
}

/** Says which gifts came back to the village: the refund that had taken them did not go through. */
export function showRestored(toast: Toast, gifts: Gifts, message: GiftRestoredMessage): void {
  toast.show(() => t("restored.refundUndone", { names: giftNames(gifts, message.items) }), "success", { sticky: true });
}
