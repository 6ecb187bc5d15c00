-- Fulfilment of a paid Checkout Session, applied atomically by the database in one call.
-- The plan is made by the server (server/payments/fulfilment.ts) from the order's lines, which
-- never change: the balanced donation entries, one element per gift unit to grant, and every
-- village tile in placement order (tile code: y * 1000 + x). Under the order lock, this function
-- answers a duplicate for an event already processed; otherwise it stores the event processed and,
-- only if the order is still unpaid and matches the session, amount and currency, marks the order
-- paid, posts the ledger transaction and grants the gifts on free tiles under the village lock.
-- It runs in the caller's transaction, READ COMMITTED: each statement sees what was committed
-- before it started, which is why each read that must see a lock holder's work follows its lock
-- as a separate statement.
CREATE FUNCTION "hameau_fulfil_checkout"(
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
    UPDATE orders SET status = 'paid', paid_at = now(), payment_intent_id = p_payment_intent WHERE id = p_order_id;

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
--> statement-breakpoint
-- One payment of a batch, as hameau_fulfil_checkouts receives it (JSON arrays become SQL arrays).
CREATE TYPE "hameau_checkout_plan" AS (
  "eventId" text, "eventType" text, "payload" jsonb, "paymentIntent" text, "orderId" uuid, "sessionId" text,
  "amount" integer, "currency" text, "accounts" text[], "amounts" integer[], "lineIds" uuid[], "giftIds" uuid[], "sprites" text[]
);
--> statement-breakpoint
-- A batch of fulfilments in one transaction (one commit for many payments). Each runs in its own
-- subtransaction: one that fails is rolled back alone and reported as an error, the others stand.
-- The answer is one result per payment, in order.
CREATE FUNCTION "hameau_fulfil_checkouts"(p_batch jsonb, p_tiles integer[])
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  p hameau_checkout_plan;
  v_results jsonb[] := '{}';
BEGIN
  FOR p IN SELECT * FROM jsonb_populate_recordset(NULL::hameau_checkout_plan, p_batch) LOOP
    BEGIN
      v_results := v_results || hameau_fulfil_checkout(
        p."eventId", p."eventType", p."payload", p."paymentIntent", p."orderId", p."sessionId", p."amount", p."currency",
        p."accounts", p."amounts", p."lineIds", p."giftIds", p."sprites", p_tiles);
    EXCEPTION WHEN OTHERS THEN
      v_results := v_results || jsonb_build_object('outcome', 'error', 'sqlstate', SQLSTATE, 'message', SQLERRM);
    END;
  END LOOP;
  RETURN to_jsonb(v_results);
END;
$$;
