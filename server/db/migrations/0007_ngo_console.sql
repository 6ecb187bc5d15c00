CREATE TABLE "campaign_gifts" (
	"campaign_id" uuid NOT NULL,
	"gift_id" uuid NOT NULL,
	CONSTRAINT "campaign_gifts_campaign_id_gift_id_pk" PRIMARY KEY("campaign_id","gift_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ngo_id" uuid NOT NULL,
	"title_fr" text NOT NULL,
	"title_en" text NOT NULL,
	"description_fr" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"goal_cents" integer NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"emergency" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_goal_positive" CHECK ("campaigns"."goal_cents" > 0),
	CONSTRAINT "campaigns_period" CHECK ("campaigns"."ends_at" > "campaigns"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "fund_trail_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gift_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"happened_on" date NOT NULL,
	"covers_paid_before" timestamp with time zone NOT NULL,
	"note_fr" text DEFAULT '' NOT NULL,
	"note_en" text DEFAULT '' NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_trail_steps_stage" CHECK ("fund_trail_steps"."stage" in ('sent_to_field', 'in_use'))
);
--> statement-breakpoint
CREATE TABLE "impact_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ngo_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"title_fr" text NOT NULL,
	"title_en" text NOT NULL,
	"body_fr" text NOT NULL,
	"body_en" text NOT NULL,
	"photo_id" uuid,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ngo_members" (
	"ngo_id" uuid NOT NULL,
	"player_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ngo_members_ngo_id_player_id_pk" PRIMARY KEY("ngo_id","player_id"),
	CONSTRAINT "ngo_members_role" CHECK ("ngo_members"."role" in ('admin', 'editor', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ngo_id" uuid NOT NULL,
	"mime_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_admins" (
	"player_id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "description_fr" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "description_en" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "stock_limit" integer;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "available_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "available_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "emergency" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "contact_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "contact_email" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "applied_by" uuid;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "review_note" text;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "show_on_leaderboards" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_gifts" ADD CONSTRAINT "campaign_gifts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_gifts" ADD CONSTRAINT "campaign_gifts_gift_id_gifts_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_trail_steps" ADD CONSTRAINT "fund_trail_steps_gift_id_gifts_id_fk" FOREIGN KEY ("gift_id") REFERENCES "public"."gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_trail_steps" ADD CONSTRAINT "fund_trail_steps_author_id_players_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_updates" ADD CONSTRAINT "impact_updates_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_updates" ADD CONSTRAINT "impact_updates_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_updates" ADD CONSTRAINT "impact_updates_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_updates" ADD CONSTRAINT "impact_updates_author_id_players_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngo_members" ADD CONSTRAINT "ngo_members_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngo_members" ADD CONSTRAINT "ngo_members_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_admins" ADD CONSTRAINT "platform_admins_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_gifts_gift_idx" ON "campaign_gifts" USING btree ("gift_id");--> statement-breakpoint
CREATE INDEX "campaigns_ngo_idx" ON "campaigns" USING btree ("ngo_id");--> statement-breakpoint
CREATE INDEX "fund_trail_steps_gift_idx" ON "fund_trail_steps" USING btree ("gift_id","stage","covers_paid_before");--> statement-breakpoint
CREATE INDEX "impact_updates_project_idx" ON "impact_updates" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "ngo_members_player_idx" ON "ngo_members" USING btree ("player_id");--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_applied_by_players_id_fk" FOREIGN KEY ("applied_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_reviewed_by_players_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gifts" ADD CONSTRAINT "gifts_stock_limit" CHECK ("gifts"."stock_limit" is null or "gifts"."stock_limit" >= 0);--> statement-breakpoint
ALTER TABLE "gifts" ADD CONSTRAINT "gifts_window" CHECK ("gifts"."available_from" is null or "gifts"."available_until" is null or "gifts"."available_until" > "gifts"."available_from");--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_status" CHECK ("ngos"."status" in ('pending', 'approved', 'rejected'));--> statement-breakpoint
-- NGOs that existed before applications did were already published: they count as approved.
UPDATE "ngos" SET "status" = 'approved', "reviewed_at" = now();
