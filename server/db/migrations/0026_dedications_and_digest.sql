CREATE TABLE "gift_dedications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"giver_id" uuid NOT NULL,
	"honoree_name" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"deliver_on" date NOT NULL,
	"kind" text NOT NULL,
	"village_id" uuid,
	"email" text,
	"show_giver_name" boolean DEFAULT false NOT NULL,
	"locale" text DEFAULT 'fr' NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"claimed_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gift_dedications_order_id_unique" UNIQUE("order_id"),
	CONSTRAINT "gift_dedications_kind" CHECK ("gift_dedications"."kind" in ('village', 'email')),
	CONSTRAINT "gift_dedications_target" CHECK (("gift_dedications"."kind" = 'village' and "gift_dedications"."village_id" is not null and "gift_dedications"."email" is null) or ("gift_dedications"."kind" = 'email' and "gift_dedications"."email" is not null and "gift_dedications"."village_id" is null)),
	CONSTRAINT "gift_dedications_status" CHECK ("gift_dedications"."status" in ('scheduled', 'delivered', 'cancelled')),
	CONSTRAINT "gift_dedications_lengths" CHECK (char_length("gift_dedications"."honoree_name") between 1 and 60 and char_length("gift_dedications"."message") <= 300)
);
--> statement-breakpoint
CREATE TABLE "impact_digests" (
	"player_id" uuid NOT NULL,
	"month" text NOT NULL,
	"status" text DEFAULT 'due' NOT NULL,
	"claimed_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "impact_digests_player_id_month_pk" PRIMARY KEY("player_id","month"),
	CONSTRAINT "impact_digests_month" CHECK ("impact_digests"."month" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"name" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "impact_digest" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "gift_dedications" ADD CONSTRAINT "gift_dedications_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_dedications" ADD CONSTRAINT "gift_dedications_giver_id_players_id_fk" FOREIGN KEY ("giver_id") REFERENCES "public"."players"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_dedications" ADD CONSTRAINT "gift_dedications_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impact_digests" ADD CONSTRAINT "impact_digests_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gift_dedications_due_idx" ON "gift_dedications" USING btree ("deliver_on") WHERE "gift_dedications"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX "impact_digests_due_idx" ON "impact_digests" USING btree ("month") WHERE "impact_digests"."status" = 'due';