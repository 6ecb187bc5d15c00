CREATE TABLE "fundraisers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"player_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"title" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"goal_cents" integer NOT NULL,
	"listed" boolean DEFAULT false NOT NULL,
	"show_name" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"hidden_at" timestamp with time zone,
	"hidden_by" uuid,
	CONSTRAINT "fundraisers_goal_range" CHECK ("fundraisers"."goal_cents" between 1000 and 10000000)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "fundraiser_id" uuid;--> statement-breakpoint
ALTER TABLE "fundraisers" ADD CONSTRAINT "fundraisers_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fundraisers" ADD CONSTRAINT "fundraisers_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fundraisers" ADD CONSTRAINT "fundraisers_hidden_by_players_id_fk" FOREIGN KEY ("hidden_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fundraisers_one_open" ON "fundraisers" USING btree ("player_id","campaign_id") WHERE "fundraisers"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "fundraisers_campaign_idx" ON "fundraisers" USING btree ("campaign_id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_fundraiser_id_fundraisers_id_fk" FOREIGN KEY ("fundraiser_id") REFERENCES "public"."fundraisers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_fundraiser_idx" ON "orders" USING btree ("fundraiser_id") WHERE "orders"."fundraiser_id" is not null;
