CREATE TABLE "monthly_gifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"player_id" uuid NOT NULL,
	"village_id" uuid NOT NULL,
	"gift_id" uuid NOT NULL,
	"ngo_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text DEFAULT 'incomplete' NOT NULL,
	"provider" text NOT NULL,
	"charge_mode" text DEFAULT 'platform' NOT NULL,
	"checkout_session_id" text,
	"stripe_subscription_id" text,
	"stripe_customer_id" text,
	"next_invoice_at" timestamp with time zone,
	"action_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "monthly_gifts_checkout_session_id_unique" UNIQUE("checkout_session_id"),
	CONSTRAINT "monthly_gifts_stripe_subscription_id_unique" UNIQUE("stripe_subscription_id"),
	CONSTRAINT "monthly_gifts_amount" CHECK ("monthly_gifts"."amount_cents" between 100 and 100000),
	CONSTRAINT "monthly_gifts_status" CHECK ("monthly_gifts"."status" in ('incomplete', 'active', 'past_due', 'action_required', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "mail_queue" DROP CONSTRAINT "mail_queue_kind";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "monthly_gift_id" uuid;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_gift_id_gifts_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "monthly_gifts_player_idx" ON "monthly_gifts" USING btree ("player_id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_monthly_gift_id_monthly_gifts_id_fk" FOREIGN KEY ("monthly_gift_id") REFERENCES "public"."monthly_gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_monthly_gift_idx" ON "orders" USING btree ("monthly_gift_id") WHERE "orders"."monthly_gift_id" is not null;--> statement-breakpoint
ALTER TABLE "mail_queue" ADD CONSTRAINT "mail_queue_kind" CHECK ("mail_queue"."kind" in ('order_receipt', 'tax_receipt_cancelled', 'monthly_payment_problem'));