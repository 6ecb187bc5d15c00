/**
 * What each verified event of the NGOs' connected accounts does (the Connect
 * endpoint, `POST /webhooks/stripe/connect`). Stored and processed exactly
 * once by events.ts, like the platform's events; this is only the dispatch.
 * Every Connect event Hameau acts on has its case in the one switch below
 * (and its name in required-events.ts).
 */
import type Stripe from "stripe";
import { z } from "zod";
import { accountFlags } from "../../shared/payments-account.ts";
import type { Tx } from "../db/connect.ts";
import { type AccountStateOutcome, applyAccountState, applyDeauthorized } from "../services/payments-account.ts";
import { applyConnectEvent } from "./connect-payouts.ts";
import { done, type Processed } from "./events.ts";

const AccountObject = z.object({
  id: z.string().regex(/^acct_\w{1,100}$/),
  object: z.literal("account"),
  details_submitted: z.boolean().nullish(),
  charges_enabled: z.boolean().nullish(),
  payouts_enabled: z.boolean().nullish(),
  requirements: z
    .object({ currently_due: z.array(z.string()).nullish(), past_due: z.array(z.string()).nullish() })
    .nullish(),
});

/** When Stripe created the event (epoch ms): what orders the states of one account. */
const createdAt = (event: Stripe.Event) => (Number.isSafeInteger(event.created) ? event.created * 1000 : Date.now());

export async function dispatchConnectEvent(tx: Tx, event: Stripe.Event): Promise<Processed> {
  switch (event.type) {
    case "account.updated": {
      const a = AccountObject.safeParse(event.data.object);
      if (!a.success || (event.account && event.account !== a.data.id)) return done("invalid_payload");
      return fromAccountState(await applyAccountState(tx, a.data.id, accountFlags(a.data), createdAt(event)));
    }
    case "account.application.deauthorized": {
      // The object is the application (Hameau's platform); the account is the event's.
      if (typeof event.account !== "string" || !/^acct_\w{1,100}$/.test(event.account)) return done("invalid_payload");
      return fromAccountState(await applyDeauthorized(tx, event.account, createdAt(event)));
    }
    case "payout.paid":
    case "payout.failed":
      return done((await applyConnectEvent(tx, event)).outcome);
    default:
      return done("ignored");
  }
}

function fromAccountState(r: AccountStateOutcome): Processed {
  if (r.outcome !== "account_updated") return done(r.outcome);
  return { ...done(r.outcome), ...(r.chargesChanged ? { ngoPaymentsChanged: r.ngoId } : {}) };
}
