-- Referrals (docs/accounts-and-social.md): each player's share code, the referral an order came
-- with (written at checkout), the attributions made when the order is paid (by the trigger below,
-- in the fulfilment's own transaction: exactly once, a replayed payment changes nothing), the
-- player's opt-out, and the share messages an NGO wrote for a campaign.
ALTER TABLE "players" ADD COLUMN "share_referrals" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"player_id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_code_unique" UNIQUE("code"),
	CONSTRAINT "referral_codes_code_format" CHECK ("referral_codes"."code" ~ '^[A-Za-z0-9]{4,16}$')
);
--> statement-breakpoint
CREATE TABLE "order_referrals" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"sharer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_referrals_channel" CHECK ("order_referrals"."channel" in ('facebook', 'x', 'whatsapp', 'email', 'copy', 'native', 'widget', 'page'))
);
--> statement-breakpoint
CREATE TABLE "referral_attributions" (
	"order_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"sharer_id" uuid,
	"channel" text NOT NULL,
	"gifts" integer NOT NULL,
	"raised_cents" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_attributions_order_id_campaign_id_pk" PRIMARY KEY("order_id","campaign_id")
);
--> statement-breakpoint
CREATE TABLE "campaign_share_messages" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"messages" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_referrals" ADD CONSTRAINT "order_referrals_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_referrals" ADD CONSTRAINT "order_referrals_sharer_id_players_id_fk" FOREIGN KEY ("sharer_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_attributions" ADD CONSTRAINT "referral_attributions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_attributions" ADD CONSTRAINT "referral_attributions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_attributions" ADD CONSTRAINT "referral_attributions_sharer_id_players_id_fk" FOREIGN KEY ("sharer_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_share_messages" ADD CONSTRAINT "campaign_share_messages_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_referrals_sharer_idx" ON "order_referrals" USING btree ("sharer_id");--> statement-breakpoint
CREATE INDEX "referral_attributions_sharer_idx" ON "referral_attributions" USING btree ("sharer_id","campaign_id");--> statement-breakpoint
CREATE INDEX "referral_attributions_campaign_idx" ON "referral_attributions" USING btree ("campaign_id");--> statement-breakpoint
-- When an order becomes paid (whatever path: the fulfilment function, a late payment of an expired
-- order), its referral is attributed to each published campaign whose gifts it holds and whose
-- window holds its payment time, unless the sharer is the payer, deleted, opted out, or blocked
-- the payer or was blocked by them. One row per (order, campaign): a second payment event of the
-- same order finds the order paid already and never reaches here; the key makes sure of it anyway.
CREATE FUNCTION hameau_attribute_referral() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO referral_attributions (order_id, campaign_id, sharer_id, channel, gifts, raised_cents)
    SELECT NEW.id, c.id, r.sharer_id, r.channel, sum(l.quantity)::int, sum(l.line_total_cents)::int
      FROM order_referrals r
      JOIN players s ON s.id = r.sharer_id
      JOIN order_lines l ON l.order_id = NEW.id
      JOIN campaign_gifts cg ON cg.gift_id = l.gift_id
      JOIN campaigns c ON c.id = cg.campaign_id
     WHERE r.order_id = NEW.id
       AND r.sharer_id <> NEW.player_id
       AND s.deleted_at IS NULL AND s.share_referrals
       AND c.published_at IS NOT NULL
       AND coalesce(NEW.paid_at, now()) BETWEEN c.starts_at AND c.ends_at
       AND NOT EXISTS (SELECT 1 FROM blocks b
                        WHERE (b.blocker_id = r.sharer_id AND b.blocked_id = NEW.player_id)
                           OR (b.blocker_id = NEW.player_id AND b.blocked_id = r.sharer_id))
     GROUP BY c.id, r.sharer_id, r.channel
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "orders_referral_attribution" AFTER UPDATE OF "status" ON "orders"
  FOR EACH ROW WHEN (NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid')
  EXECUTE FUNCTION hameau_attribute_referral();
