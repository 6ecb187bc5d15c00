CREATE TABLE "charge_refund_snapshots" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"amount_refunded_cents" integer NOT NULL,
	"at" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "failed_refunds" (
	"refund_id" text PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"created_at" integer NOT NULL,
	"failed_at" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stripe_event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"kind" text NOT NULL,
	"order_id" uuid,
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "payment_alerts_stripe_event_id_unique" UNIQUE("stripe_event_id")
);
--> statement-breakpoint
ALTER TABLE "charge_refund_snapshots" ADD CONSTRAINT "charge_refund_snapshots_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "failed_refunds" ADD CONSTRAINT "failed_refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_resolved_by_players_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "failed_refunds_order_idx" ON "failed_refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payment_alerts_open_idx" ON "payment_alerts" USING btree ("created_at") WHERE "payment_alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "stripe_events_unprocessed_idx" ON "stripe_events" USING btree ("received_at") WHERE "stripe_events"."processed_at" is null;
--> statement-breakpoint
-- hameau_fulfil_checkout as in migration 0003, but an order's paid_at is the time Stripe (or the TEST MODE
-- checkout) made the payment event, read from the event already passed in: no extra statement.
CREATE OR REPLACE FUNCTION "hameau_fulfil_checkout"(
  p_event_id text, p_event_type text, p_payload jsonb, p_payment_intent text,
  p_order_id uuid, p_session_id text, p_amount integer, p_currency text,
  p_accounts text[], p_amounts integer[],
  p_line_ids uuid[], p_gift_ids uuid[], p_sprites text[],
  p_tiles integer[]
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_order record;
  v_processed timestamptz;
  v_outcome text;
  v_tx uuid;
  v_ids uuid[];
  v_free integer[];
  v_planned bigint;
  v_released boolean := false;
BEGIN
  -- The order lock serialises every payment of one order (concurrent deliveries of one event too).
  SELECT id, status, total_cents, currency, checkout_session_id, village_id INTO v_order
    FROM orders WHERE id = p_order_id FOR UPDATE;
  -- A new statement after the lock: it sees what a concurrent delivery of this event committed.
  SELECT processed_at, outcome INTO v_processed, v_outcome FROM stripe_events WHERE id = p_event_id;
  IF v_processed IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'duplicate:' || coalesce(v_outcome, ''));
  END IF;

  IF v_order.id IS NULL THEN
    v_outcome := 'unknown_order';
  ELSIF v_order.status = 'paid' THEN
    v_outcome := 'already_paid';
  ELSIF v_order.checkout_session_id IS DISTINCT FROM p_session_id THEN
    v_outcome := 'session_mismatch';
  ELSIF v_order.total_cents <> p_amount OR lower(v_order.currency) <> lower(p_currency) THEN
    v_outcome := 'amount_mismatch';
  ELSE
    v_outcome := 'fulfilled';
  END IF;

  -- The event is stored processed (or marked processed when an earlier attempt stored it).
  INSERT INTO stripe_events (id, type, payload, payment_intent_id, processed_at, outcome)
    VALUES (p_event_id, p_event_type, p_payload, p_payment_intent, now(), v_outcome)
    ON CONFLICT (id) DO UPDATE SET processed_at = excluded.processed_at, outcome = excluded.outcome;

  IF v_outcome = 'fulfilled' THEN
    -- Money received is the truth: a verified payment fulfils even an order marked expired or
    -- failed by an event that arrived earlier.
    SELECT coalesce(sum(a), 0) INTO v_planned FROM unnest(p_amounts) AS a WHERE a > 0;
    IF v_planned <> v_order.total_cents THEN
      RAISE EXCEPTION 'fulfilment plan for order % debits % cents, the order totals %', p_order_id, v_planned, v_order.total_cents;
    END IF;
    -- Paid when Stripe says so (the event's `created`, epoch seconds), not when the event arrived;
    -- with Stripe keys the charge's own time replaces it right after commit (server/payments/paid-at.ts).
    UPDATE orders SET status = 'paid', payment_intent_id = p_payment_intent,
      -- Stripe's time is to the second: arriving within that second, now() says the same, more precisely.
      paid_at = CASE WHEN jsonb_typeof(p_payload->'created') = 'number' AND (p_payload->>'created')::numeric BETWEEN 1000000000 AND 9999999999
                          AND now() >= to_timestamp((p_payload->>'created')::numeric + 1)
                     THEN to_timestamp((p_payload->>'created')::numeric) ELSE now() END
      WHERE id = p_order_id;

    INSERT INTO ledger_transactions (kind, source_key, order_id, stripe_event_id, currency)
      VALUES ('donation', 'donation:' || p_order_id, p_order_id, p_event_id, v_order.currency)
      RETURNING id INTO v_tx;
    INSERT INTO ledger_entries (transaction_id, line, account, amount_cents, currency)
      SELECT v_tx, e.line, e.account, e.amount, v_order.currency
      FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS e(account, amount, line);

    PERFORM 1 FROM villages WHERE id = v_order.village_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'order % points at missing village %', p_order_id, v_order.village_id;
    END IF;
    -- A new statement after the village lock: it sees the tiles the previous holder committed.
    SELECT coalesce(array_agg(f.code ORDER BY f.rank), '{}') INTO v_free FROM (
      SELECT t.code, t.rank FROM unnest(p_tiles) WITH ORDINALITY AS t(code, rank)
      WHERE t.code NOT IN (
        SELECT i.y * 1000 + i.x FROM village_items i
        WHERE i.village_id = v_order.village_id AND i.removed_at IS NULL AND i.x IS NOT NULL AND i.y IS NOT NULL
      )
      ORDER BY t.rank
      LIMIT coalesce(cardinality(p_line_ids), 0)
    ) AS f;
    -- Units past the free tiles get no tile (they wait in the barn).
    WITH granted AS (
      INSERT INTO village_items (village_id, gift_id, order_line_id, sprite, x, y)
        SELECT v_order.village_id, u.gift_id, u.line_id, u.sprite, v_free[u.n] % 1000, v_free[u.n] / 1000
        FROM unnest(p_line_ids, p_gift_ids, p_sprites) WITH ORDINALITY AS u(line_id, gift_id, sprite, n)
        RETURNING id
    )
    SELECT coalesce(array_agg(id), '{}') INTO v_ids FROM granted;
    v_released := p_payment_intent IS NOT NULL AND EXISTS (
      SELECT 1 FROM stripe_events
      WHERE payment_intent_id = p_payment_intent AND processed_at IS NULL AND id <> p_event_id
    );
  END IF;

  IF v_outcome <> 'fulfilled' THEN
    RETURN jsonb_build_object('outcome', v_outcome);
  END IF;
  RETURN jsonb_build_object(
    'outcome', v_outcome, 'orderId', v_order.id, 'villageId', v_order.village_id, 'currency', v_order.currency,
    'itemIds', to_jsonb(v_ids), 'released', v_released
  );
END;
$$;
