/**
 * Payments account: the NGO's own Stripe account (Connect), where its
 * donations are paid. Every member sees its status (details submitted,
 * charges and payouts enabled, what Stripe still asks for); admins connect
 * it, or continue an unfinished onboarding, on Stripe's page (the local TEST
 * MODE page without Stripe keys). Back from Stripe (`…/payments/return`),
 * the status is read again from Stripe; an expired link (`…/payments/refresh`)
 * gets a fresh one.
 */
import type { PaymentsAccountView } from "../../../shared/payments-account.ts";
import { errorText } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import { may, type NgoContext, type Screen } from "../context.ts";
import { ct, when } from "../i18n.ts";
import { ngoRoute } from "../sections.ts";
import { button, chip, heading, problem } from "../view.ts";

export function paymentsScreen(ctx: NgoContext): Screen {
  const root = h("section", { class: "c-screen", id: "payments" });
  let account: PaymentsAccountView | null = null;
  let failure: unknown = null;
  let busy = false;
  const isAdmin = may(ctx, "admin");

  async function load(): Promise<void> {
    try {
      // Back from Stripe's onboarding: Stripe is asked for the account's state (admins).
      account = ctx.sub === "return" && isAdmin
        ? await consoleApi.refreshPaymentsAccount(ctx.token, ctx.ngo.id)
        : await consoleApi.paymentsAccount(ctx.token, ctx.ngo.id);
      failure = null;
    } catch (err) {
      failure = err;
    }
    if (ctx.sub === "return" || ctx.sub === "refresh") history.replaceState(null, "", ngoRoute(ctx.ngo.id, "payments"));
    if (ctx.sub === "refresh" && isAdmin && account && !account.chargesEnabled) return connect();
    render();
  }

  async function connect(): Promise<void> {
    busy = true;
    render();
    try {
      const { url } = await consoleApi.startOnboarding(ctx.token, ctx.ngo.id);
      location.assign(url);
    } catch (err) {
      busy = false;
      ctx.toast.show(() => errorText(err instanceof ApiError ? err.code : "internal"), "error");
      render();
    }
  }

  function flag(on: boolean, label: Parameters<typeof ct>[0], id: string): HTMLElement {
    return h("li", { id }, [h("span", { text: `${ct(label)} ` }), chip(ct(on ? "payments.yes" : "payments.no"), on ? "on_sale" : "pending")]);
  }

  function render(): void {
    const parts: HTMLElement[] = [heading("nav.payments", [], ct("payments.lead"))];
    if (failure) parts.push(problem(failure));
    else if (!account) parts.push(h("p", { class: "c-loading", text: ct("app.loading") }));
    else {
      const a = account;
      if (!a.chargesEnabled) parts.push(h("p", { class: "c-banner", id: "payments-hidden", role: "status", text: ct("payments.hidden") }));
      if (a.testMode) parts.push(h("p", { class: "c-hint", id: "payments-test-mode", text: ct("payments.testMode") }));
      const status = h("section", { class: "c-card", id: "payments-status" }, [
        h("h3", { text: ct(a.connected ? "payments.status" : "payments.notConnected") }),
        h("ul", { class: "c-flags" }, [
          flag(a.detailsSubmitted, "payments.detailsSubmitted", "payments-details"),
          flag(a.chargesEnabled, "payments.chargesEnabled", "payments-charges"),
          flag(a.payoutsEnabled, "payments.payoutsEnabled", "payments-payouts"),
        ]),
        a.requirementsDue.length > 0
          ? h("div", { id: "payments-requirements" }, [
            h("p", { text: ct("payments.requirements") }),
            h("ul", {}, a.requirementsDue.map((r) => h("li", {}, [h("code", { text: r })]))),
          ])
          : null,
        h("p", { class: "c-hint", text: ct("payments.updatedAt", { when: when(a.updatedAt, true) }) }),
      ]);
      parts.push(status);
      if (!a.ngoApproved) parts.push(h("p", { class: "c-hint", text: ct("payments.notApproved") }));
      else if (isAdmin && !(a.chargesEnabled && a.payoutsEnabled && a.requirementsDue.length === 0)) {
        parts.push(button(ct(a.connected ? "payments.continue" : "payments.connect"), () => void connect(), { id: "payments-connect", disabled: busy }, "c-primary"));
      } else if (!isAdmin && !a.chargesEnabled) parts.push(h("p", { class: "c-hint", text: ct("payments.askAdmin") }));
    }
    root.replaceChildren(...parts);
  }

  void load();
  render();
  return { root, render };
}
