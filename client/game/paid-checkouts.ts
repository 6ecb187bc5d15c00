/**
 * The basket learns that its checkout was paid even when the payer never came back through the
 * return page (tab closed, paid on another device): at start-up it asks the server about every
 * checkout it started (GET /api/orders/:id, the order belongs to the player), the village room
 * says `orderPaid` as soon as a payment of this player goes through, and it asks again after the
 * room connection came back (a push may have been missed meanwhile).
 */
import { t } from "../i18n.ts";
import { ApiError, api } from "../net/api.ts";
import type { BasketPanel } from "../ui/basket.ts";
import type { Toast } from "../ui/toast.ts";

export interface PaidCheckoutsDeps {
  basket: BasketPanel;
  token(): string | undefined;
  toast: Toast;
}

export class PaidCheckouts {
  private readonly deps: PaidCheckoutsDeps;

  constructor(deps: PaidCheckoutsDeps) {
    this.deps = deps;
  }

  /** Asks about every checkout the basket waits on, except the one the page came back from (the return page settles that one). */
  async checkAll(except?: string): Promise<void> {
    await Promise.all(this.deps.basket.openCheckouts().filter((id) => id !== except).map((id) => this.check(id)));
  }

  /** The room said this player's order was paid (in this tab's checkout or anywhere else). */
  heard(orderId: string): void {
    if (this.deps.basket.openCheckouts().includes(orderId)) void this.check(orderId);
  }

  private async check(orderId: string): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    try {
      const order = await api.order(token, orderId);
      if (this.deps.basket.settle(order) === "paid") this.deps.toast.show(() => t("basket.paidElsewhere"), "success", { ms: 6000 });
    } catch (err) {
      // Not this player's order (signed in as someone else since) or no longer known: forget it, keep the basket.
      if (err instanceof ApiError && err.status === 404) this.deps.basket.settle({ id: orderId, status: "expired", lines: [] });
      // Anything else (offline): the checkout stays remembered and is asked about again later.
    }
  }
}
