/**
 * Paid gifts reaching the village, from whichever side hears first: the
 * room's "giftArrived", a donated item appearing after the first sync, or
 * the order poll after returning from checkout. Each item is celebrated once
 * and each order thanked once.
 */
import type { CatalogGift, OrderView } from "../../shared/api.ts";
import type { GiftArrivedMessage } from "../../shared/messages.ts";
import type { ThanksLine } from "../ui/thanks.ts";
import type { VillageModel } from "./village-model.ts";

export interface ArrivalDeps {
  model: VillageModel;
  gifts(): ReadonlyMap<string, CatalogGift>;
  /** Plays the arrival animation on these items. */
  celebrate(itemIds: string[]): void;
  /** Shows the thank-you card for a paid order; with `received`, a gift someone else gave into my village. */
  thank(orderId: string, lines: ThanksLine[], received?: { fromName: string | null }): void;
  /** My player id (to know whether the open village is mine). */
  me(): string | undefined;
}

/** Lets the gift land before the card covers it. */
const THANKS_DELAY_MS = 1400;

export class Arrivals {
  private readonly thankedOrders = new Set<string>();
  private readonly deps: ArrivalDeps;

  constructor(deps: ArrivalDeps) {
    this.deps = deps;
    deps.model.subscribe({
      add: (item, initial) => {
        if (!initial && item.donated) deps.celebrate([item.id]);
      },
      arrived: (message) => this.fromRoom(message),
    });
  }

  /**
   * A gift the room announces: the payer is thanked; the owner of a village a friend gave into is
   * told who gave (when they allowed it); any other visitor just watches it land.
   */
  fromRoom(message: GiftArrivedMessage): void {
    // A paid order that put nothing here (dedicated to someone else's village): its payer is thanked by the order poll.
    if (message.items.length === 0) return;
    this.deps.celebrate(message.items.map((i) => i.itemId));
    const counts = new Map<string, number>();
    for (const { giftId } of message.items) counts.set(giftId, (counts.get(giftId) ?? 0) + 1);
    const lines = [...counts].map(([giftId, quantity]) => ({ giftId, quantity }));
    if (message.yours) this.thankOnce(message.orderId, lines);
    else if (this.deps.me() !== undefined && this.deps.me() === this.deps.model.ownerId) {
      this.thankOnce(message.orderId, lines, { fromName: message.fromName ?? null });
    }
  }

  /** The order poll saw the order paid: its items are (or will be) in the state already. */
  fromOrder(order: OrderView): void {
    if (this.thankedOrders.has(order.id)) return;
    const run = () => {
      // Dedicated to a friend's village, its gifts are not in mine: nothing to celebrate here.
      this.deps.celebrate(order.dedication?.kind === "village" ? [] : this.newestItemsOf(order));
      this.thankOnce(order.id, order.lines);
    };
    if (this.deps.model.isSynced) run();
    else {
      const stop = this.deps.model.subscribe({
        synced: () => {
          stop();
          run();
        },
      });
    }
  }

  /** The latest items of each gift of the order: the ones it granted. */
  private newestItemsOf(order: OrderView): string[] {
    const items = [...this.deps.model.items.values()];
    return order.lines.flatMap((line) =>
      items
        .filter((i) => i.donated && i.giftId === line.giftId)
        .slice(-line.quantity)
        .map((i) => i.id),
    );
  }

  private thankOnce(orderId: string, lines: Array<{ giftId: string; quantity: number }>, received?: { fromName: string | null }): void {
    if (this.thankedOrders.has(orderId)) return;
    this.thankedOrders.add(orderId);
    const gifts = this.deps.gifts();
    const thanks = lines.flatMap(({ giftId, quantity }) => {
      const gift = gifts.get(giftId);
      return gift ? [{ gift, quantity }] : [];
    });
    setTimeout(() => this.deps.thank(orderId, thanks, received), THANKS_DELAY_MS);
  }
}
