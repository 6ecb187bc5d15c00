-- Matching pledges (docs/payments.md, "Matching pledges"). A sponsor promises to match the donations to a
-- campaign's gifts at a ratio (whole percent of the donor's own gift), up to a cap, within a window. The
-- sponsor pays the NGO directly: the ledger records the promise and what it matched on memo accounts only
-- (pledge:<id>, pledge-promised:<id>, matched:<campaign>), never on the donors' money accounts.
CREATE TABLE "campaign_pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"ngo_id" uuid NOT NULL,
	"sponsor_name" text NOT NULL,
	"ratio_percent" integer NOT NULL,
	"cap_cents" integer NOT NULL,
	"matched_cents" integer DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "campaign_pledges_ratio" CHECK ("campaign_pledges"."ratio_percent" between 1 and 500),
	CONSTRAINT "campaign_pledges_cap_positive" CHECK ("campaign_pledges"."cap_cents" > 0),
	CONSTRAINT "campaign_pledges_matched_within_cap" CHECK ("campaign_pledges"."matched_cents" between 0 and "campaign_pledges"."cap_cents"),
	CONSTRAINT "campaign_pledges_period" CHECK ("campaign_pledges"."ends_at" > "campaign_pledges"."starts_at"),
	CONSTRAINT "campaign_pledges_status" CHECK ("campaign_pledges"."status" in ('active', 'ended', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "pledge_matches" (
	"pledge_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"line_ids" uuid[] NOT NULL,
	"base_cents" integer NOT NULL,
	"covered_cents" integer NOT NULL,
	"original_cents" integer NOT NULL,
	"matched_cents" integer NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledge_matches_pledge_id_order_id_pk" PRIMARY KEY("pledge_id","order_id"),
	CONSTRAINT "pledge_matches_amounts" CHECK ("pledge_matches"."original_cents" > 0 and "pledge_matches"."matched_cents" between 0 and "pledge_matches"."original_cents")
);
--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_pledges" ADD CONSTRAINT "campaign_pledges_created_by_players_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_matches" ADD CONSTRAINT "pledge_matches_pledge_id_campaign_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."campaign_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_matches" ADD CONSTRAINT "pledge_matches_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_pledges_campaign_idx" ON "campaign_pledges" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "pledge_matches_order_idx" ON "pledge_matches" USING btree ("order_id");--> statement-breakpoint
-- A paid order is matched in the transaction that pays it, whatever path pays it (the fulfilment function,
-- a batch, a replay), by the rule of shared/matching-rule.ts: the order's lines for a campaign's gifts are
-- the base; the campaign's active pledges whose window holds the payment apply in order of creation, each
-- at its ratio (floor) up to what is left of its cap. The pledges are row-locked first, always in id
-- order, so concurrent payments queue on them and the sum matched never passes a cap; the status can
-- become 'paid' only once, so an order is matched exactly once (and the keys are unique besides).
CREATE FUNCTION "hameau_match_paid_order"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz := coalesce(NEW.paid_at, now());
  v_pledges uuid[];
  c record;
  p record;
  v_remaining bigint;
  v_want bigint;
  v_m bigint;
  v_covered bigint;
  v_tx uuid;
BEGIN
  SELECT array_agg(DISTINCT cp.id) INTO v_pledges
    FROM order_lines l
    JOIN campaign_gifts cg ON cg.gift_id = l.gift_id
    JOIN campaigns ca ON ca.id = cg.campaign_id AND ca.published_at IS NOT NULL
      AND ca.starts_at <= v_at AND v_at <= ca.ends_at AND upper(ca.currency) = upper(NEW.currency)
    JOIN campaign_pledges cp ON cp.campaign_id = ca.id AND cp.status = 'active' AND cp.starts_at <= v_at AND v_at < cp.ends_at
    WHERE l.order_id = NEW.id;
  IF v_pledges IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM campaign_pledges WHERE id = ANY(v_pledges) ORDER BY id FOR UPDATE;
  -- New statements after the locks: they see what the previous holders committed.
  FOR c IN
    SELECT cg.campaign_id, array_agg(l.id ORDER BY l.id) AS line_ids, sum(l.line_total_cents)::bigint AS base
    FROM order_lines l JOIN campaign_gifts cg ON cg.gift_id = l.gift_id
    WHERE l.order_id = NEW.id AND cg.campaign_id IN (SELECT campaign_id FROM campaign_pledges WHERE id = ANY(v_pledges))
    GROUP BY cg.campaign_id ORDER BY cg.campaign_id
  LOOP
    v_remaining := c.base;
    FOR p IN
      SELECT id, ratio_percent, cap_cents, matched_cents FROM campaign_pledges
      WHERE id = ANY(v_pledges) AND campaign_id = c.campaign_id AND status = 'active' AND starts_at <= v_at AND v_at < ends_at
      ORDER BY created_at, id
    LOOP
      EXIT WHEN v_remaining <= 0;
      v_want := (v_remaining * p.ratio_percent) / 100;
      v_m := least(v_want, p.cap_cents - p.matched_cents);
      CONTINUE WHEN v_m <= 0;
      v_covered := CASE WHEN v_m = v_want THEN v_remaining
                        ELSE least(v_remaining, (v_m * 100 + p.ratio_percent - 1) / p.ratio_percent) END;
      v_remaining := v_remaining - v_covered;
      UPDATE campaign_pledges SET matched_cents = matched_cents + v_m WHERE id = p.id;
      INSERT INTO pledge_matches (pledge_id, order_id, campaign_id, line_ids, base_cents, covered_cents, original_cents, matched_cents)
        VALUES (p.id, NEW.id, c.campaign_id, c.line_ids, c.base, v_covered, v_m, v_m);
      INSERT INTO ledger_transactions (kind, source_key, order_id, currency)
        VALUES ('match', 'match:' || p.id || ':' || NEW.id, NEW.id, NEW.currency)
        RETURNING id INTO v_tx;
      INSERT INTO ledger_entries (transaction_id, line, account, amount_cents, currency) VALUES
        (v_tx, 1, 'matched:' || c.campaign_id, v_m, NEW.currency),
        (v_tx, 2, 'pledge:' || p.id, -v_m, NEW.currency);
    END LOOP;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "orders_match_pledges" AFTER UPDATE OF "status" ON "orders"
  FOR EACH ROW WHEN (NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid')
  EXECUTE FUNCTION "hameau_match_paid_order"();
