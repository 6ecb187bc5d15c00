CREATE TABLE "ngo_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"obligation_key" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"order_id" uuid NOT NULL,
	"ngo_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"charge_mode" text NOT NULL,
	"destination" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"stripe_transfer_id" text,
	"stripe_reversal_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "ngo_transfers_obligation_key_unique" UNIQUE("obligation_key"),
	CONSTRAINT "ngo_transfers_amount_positive" CHECK ("ngo_transfers"."amount_cents" > 0),
	CONSTRAINT "ngo_transfers_done_has_ids" CHECK ("ngo_transfers"."status" = 'pending' or ("ngo_transfers"."stripe_transfer_id" is not null and ("ngo_transfers"."kind" = 'transfer' or "ngo_transfers"."stripe_reversal_id" is not null)))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "charge_mode" text DEFAULT 'platform' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "charge_id" text;--> statement-breakpoint
ALTER TABLE "ngo_transfers" ADD CONSTRAINT "ngo_transfers_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngo_transfers" ADD CONSTRAINT "ngo_transfers_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ngo_transfers_order_idx" ON "ngo_transfers" USING btree ("order_id","ngo_id");--> statement-breakpoint
CREATE INDEX "ngo_transfers_pending_idx" ON "ngo_transfers" USING btree ("next_attempt_at") WHERE "ngo_transfers"."status" = 'pending';--> statement-breakpoint
-- Fulfilment writes the NGO transfers it makes owed in the same subtransaction (the durable outbox):
-- each plan carries, for an order paid to NGOs' own Stripe accounts, each NGO's share of the donation.
ALTER TYPE "hameau_checkout_plan" ADD ATTRIBUTE "transferNgos" uuid[], ADD ATTRIBUTE "transferAmounts" integer[];
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "hameau_fulfil_checkouts"(p_batch jsonb, p_tiles integer[])
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  p hameau_checkout_plan;
  v_result jsonb;
  v_results jsonb[] := '{}';
BEGIN
  FOR p IN SELECT * FROM jsonb_populate_recordset(NULL::hameau_checkout_plan, p_batch) LOOP
    BEGIN
      v_result := hameau_fulfil_checkout(
        p."eventId", p."eventType", p."payload", p."paymentIntent", p."orderId", p."sessionId", p."amount", p."currency",
        p."accounts", p."amounts", p."lineIds", p."giftIds", p."sprites", p_tiles);
      IF v_result->>'outcome' = 'fulfilled' AND coalesce(cardinality(p."transferNgos"), 0) > 0 THEN
        INSERT INTO ngo_transfers (obligation_key, kind, reason, order_id, ngo_id, amount_cents, currency, charge_mode, destination)
          SELECT 'transfer:' || o.id || ':' || t.ngo, 'transfer', 'payment', o.id, t.ngo, t.amount, o.currency, o.charge_mode, n.stripe_account_id
          FROM unnest(p."transferNgos", p."transferAmounts") AS t(ngo, amount)
          JOIN orders o ON o.id = p."orderId" AND o.charge_mode IN ('destination', 'separate')
          JOIN ngos n ON n.id = t.ngo
          WHERE t.amount > 0
          ON CONFLICT (obligation_key) DO NOTHING;
      END IF;
      v_results := v_results || v_result;
    EXCEPTION WHEN OTHERS THEN
      v_results := v_results || jsonb_build_object('outcome', 'error', 'sqlstate', SQLSTATE, 'message', SQLERRM);
    END;
  END LOOP;
  RETURN to_jsonb(v_results);
END;
$$;
