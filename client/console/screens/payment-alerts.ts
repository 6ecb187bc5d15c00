/**
 * Payment alerts (platform administrators only): verified Stripe events that
 * did not match their order — a payment with another amount, currency or
 * session, a refund or dispute that does not fit. Each shows what Stripe said
 * and what Hameau holds; once looked into (at Stripe, with the donor), an
 * administrator marks it resolved, and reconciliation stops reporting it.
 */
import type { PaymentAlertView } from "../../../shared/payment-alerts.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { ConsoleContext, Screen } from "../context.ts";
import { CURRENCIES } from "../../../shared/money.ts";
import { ct, euros, when } from "../i18n.ts";
import { button, chip, empty, heading, problem, table } from "../view.ts";

type Status = "open" | "resolved" | "all";

export function paymentAlertsScreen(ctx: ConsoleContext): Screen {
  const root = h("section", { class: "c-screen", id: "payment-alerts" });
  let status: Status = "open";
  let alerts: PaymentAlertView[] | null = null;
  let failure: unknown = null;

  async function load(): Promise<void> {
    alerts = null;
    render();
    try {
      alerts = (await consoleApi.paymentAlerts(ctx.token, status)).alerts;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  async function resolve(alert: PaymentAlertView): Promise<void> {
    try {
      await consoleApi.resolvePaymentAlert(ctx.token, alert.id);
      ctx.toast.show(() => ct("alerts.resolved"), "success");
    } catch (err) {
      failure = err;
    }
    await load();
  }

  /** "0,01 € · cs_…": the amount in the console's language when its currency is one Hameau knows, else as Stripe said it. */
  const side = (s: PaymentAlertView["stripe"]) => {
    const currency = s.currency?.toUpperCase() ?? null;
    const known = CURRENCIES.find((c) => c === currency);
    const amount = s.amountCents === null ? currency : known ? euros(s.amountCents, known) : `${(s.amountCents / 100).toFixed(2)} ${currency ?? ""}`.trim();
    return [amount, s.id].filter(Boolean).join(" · ") || "—";
  };

  function render(): void {
    const tabs = h("div", { class: "c-chips-row", role: "group", "aria-label": ct("alerts.filter") }, (["open", "resolved", "all"] as const).map((s) =>
      button(ct(`alerts.status.${s}`), () => {
        status = s;
        void load();
      }, { "aria-pressed": String(s === status), "data-status": s })));
    const parts: HTMLElement[] = [heading("nav.paymentAlerts", [], ct("alerts.lead")), tabs];
    if (failure) parts.push(problem(failure));
    if (alerts === null) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else if (alerts.length === 0) parts.push(empty("alerts.none"));
    else {
      parts.push(table<PaymentAlertView>("payment-alerts-table", [
        { label: "alerts.when", cell: (a) => when(a.createdAt, true) },
        { label: "alerts.kind", cell: (a) => chip(ct(`alerts.kind.${a.kind}`), a.resolvedAt ? "approved" : "rejected") },
        { label: "alerts.event", cell: (a) => `${a.eventType} · ${a.stripeEventId}` },
        { label: "alerts.order", cell: (a) => a.orderId ?? "—" },
        { label: "alerts.stripe", cell: (a) => side(a.stripe) },
        { label: "alerts.hameau", cell: (a) => side(a.hameau) },
        {
          label: "alerts.state",
          cell: (a) => (a.resolvedAt ? ct("alerts.resolvedAt", { when: when(a.resolvedAt, true) }) : button(ct("alerts.resolve"), () => void resolve(a), { "data-alert-id": a.id })),
        },
      ], alerts, (a) => ({ "data-alert-id": a.id })));
    }
    root.replaceChildren(...parts);
  }

  void load();
  return { root, render };
}
