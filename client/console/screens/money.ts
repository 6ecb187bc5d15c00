/**
 * The NGO's money, on the reports screen (every member): what donors gave, what
 * reached the NGO's own Stripe account, what is still to reach it, what Stripe
 * paid out to its bank, and the transfers on their way, per currency, from
 * GET /api/ngos/:ngoId/money. Nothing here writes.
 */
import type { NgoMoneyFigures, NgoMoneyResponse } from "../../../shared/ngo-money.ts";
import type { Currency } from "../../../shared/money.ts";
import { errorText } from "../../i18n.ts";
import { ApiError } from "../../net/api.ts";
import { h } from "../../ui/element.ts";
import { consoleApi } from "../api.ts";
import type { NgoContext } from "../context.ts";
import { ct, euros } from "../i18n.ts";
import { empty } from "../view.ts";

export function moneyCard(ctx: NgoContext, onChange: () => void): { root: () => HTMLElement } {
  let money: NgoMoneyResponse | null = null;
  let problem: string | null = null;
  void consoleApi.money(ctx.token, ctx.ngo.id).then(
    (m) => (money = m),
    (err: unknown) => (problem = err instanceof ApiError ? err.code : "internal"),
  ).then(onChange);
  const figures = (f: NgoMoneyFigures) => {
    const cur = f.currency as Currency;
    const row = (key: Parameters<typeof ct>[0], cents: number, id: string) => [h("dt", { text: ct(key) }), h("dd", { id: `money-${id}-${f.currency}`, text: euros(cents, cur) })];
    return h("dl", { class: "c-figures" }, [
      ...row("money.given", f.givenCents, "given"),
      ...row("money.transferred", f.transferredCents, "transferred"),
      ...row("money.owed", f.owedCents, "owed"),
      ...row("money.paidOut", f.paidOutCents, "paid-out"),
      ...row("money.pending", f.pending.transferCents - f.pending.reversalCents, "pending"),
    ]);
  };
  return {
    root: () => h("section", { class: "c-card", id: "ngo-money" }, [
      h("h3", { text: ct("money.title") }),
      h("p", { class: "c-lead", text: ct("money.lead") }),
      problem ? h("p", { class: "c-problem", role: "alert", text: errorText(problem) }) : null,
      money && money.currencies.length === 0 ? empty("money.none") : null,
      ...(money?.currencies ?? []).map(figures),
    ]),
  };
}
