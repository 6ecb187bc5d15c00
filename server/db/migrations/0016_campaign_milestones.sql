-- Campaign milestones (shared/milestones.ts): an NGO's own steps, or the defaults (25/50/100 %) written
-- on first use. reached_at is set once, under the campaign's row lock, by the payment that crosses it.
CREATE TABLE "campaign_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"percent" integer NOT NULL,
	"title_fr" text NOT NULL,
	"title_en" text NOT NULL,
	"sprite" text NOT NULL,
	"reached_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_milestones_percent" CHECK ("campaign_milestones"."percent" between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "campaign_milestones" ADD CONSTRAINT "campaign_milestones_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_milestones_campaign_percent" ON "campaign_milestones" USING btree ("campaign_id","percent");--> statement-breakpoint
-- One decoration per milestone and village, ever: the key makes a second grant (another payment, another process) a no-op.
-- The item may go later (its owner deleted their account): the grant stays, without it.
CREATE TABLE "milestone_grants" (
	"milestone_id" uuid NOT NULL,
	"village_id" uuid NOT NULL,
	"item_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "milestone_grants_milestone_id_village_id_pk" PRIMARY KEY("milestone_id","village_id")
);
--> statement-breakpoint
ALTER TABLE "milestone_grants" ADD CONSTRAINT "milestone_grants_milestone_id_campaign_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "public"."campaign_milestones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestone_grants" ADD CONSTRAINT "milestone_grants_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestone_grants" ADD CONSTRAINT "milestone_grants_item_id_village_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."village_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "milestone_grants_village_idx" ON "milestone_grants" USING btree ("village_id");--> statement-breakpoint
-- Leaderboards: a player who is named may also choose to show how much they gave (off by default).
ALTER TABLE "players" ADD COLUMN "show_amounts_on_leaderboards" boolean DEFAULT false NOT NULL;
