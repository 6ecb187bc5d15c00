/**
 * Coming back from checkout (/?order=<id>&village=<id>[&cancelled=1]): say the payment was
 * cancelled (and cancel the order, so what it held is free again), or poll the order until it is paid, then clean the URL.
 */
import type { OrderView } from "../../shared/api.ts";
import { errorText, t } from "../i18n.ts";
import { ApiError, api } from "../net/api.ts";
import type { Toast } from "../ui/toast.ts";

const POLL_EVERY_MS = 1000;
const POLL_FOR_MS = 30_000;
const RETURN_PARAMS = ["order", "village", "cancelled", "lang"];

export interface OrderReturnDeps {
  token: string;
  toast: Toast;
  paid(order: OrderView): void;
  /** The checkout was cancelled or expired: nothing was charged, the basket stays as it was. */
  ended(orderId: string): void;
}

/** The order the page was opened with, if any, and the village its gifts went to. */
export function returningOrder(): { orderId: string; villageId: string | null; cancelled: boolean } | null {
  const params = new URLSearchParams(location.search);
  const orderId = params.get("order");
  if (!orderId) return null;
  return { orderId, villageId: params.get("village"), cancelled: params.get("cancelled") === "1" };
}

export async function handleOrderReturn(deps: OrderReturnDeps): Promise<void> {
  const back = returningOrder();
  if (!back) return;
  try {
    if (back.cancelled) {
      deps.toast.show(() => t("order.cancelled"), "info", { ms: 7000 });
      deps.ended(back.orderId);
      // Stripe's cancel_url: the session is expired and the units it held come back (already done by the TEST MODE page).
      await api.cancelOrder(deps.token, back.orderId).catch(() => undefined);
      return;
    }
    deps.toast.show(() => t("order.confirming"), "progress", { sticky: true });
    const order = await pollUntilSettled(deps.token, back.orderId);
    if (!order) deps.toast.show(() => t("order.slow"), "info", { ms: 8000 });
    else if (order.status === "paid") {
      deps.toast.hide();
      deps.paid(order);
    } else {
      deps.toast.show(() => t("order.expired"), "info", { ms: 7000 });
      deps.ended(order.id);
    }
  } catch (err) {
    deps.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
  } finally {
    cleanUrl();
  }
}

/** Polls until the order is paid or expired; null when it is still pending after the time limit. */
async function pollUntilSettled(token: string, orderId: string): Promise<OrderView | null> {
  const deadline = Date.now() + POLL_FOR_MS;
  for (;;) {
    try {
      const order = await api.order(token, orderId);
      if (order.status !== "pending") return order;
    } catch (err) {
      // A network blip is worth another try; a refusal (404, 401) is final.
      if (!(err instanceof ApiError) || err.code !== "network") throw err;
    }
    if (Date.now() + POLL_EVERY_MS > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
}

function cleanUrl(): void {
  const url = new URL(location.href);
  for (const name of RETURN_PARAMS) url.searchParams.delete(name);
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
}
