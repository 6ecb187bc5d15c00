CREATE TABLE "donor_profiles" (
	"player_id" uuid PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"address_lines" jsonb NOT NULL,
	"postal_code" text NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipt_counters" (
	"ngo_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "receipt_counters_ngo_id_year_pk" PRIMARY KEY("ngo_id","year")
);
--> statement-breakpoint
CREATE TABLE "tax_receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"ngo_id" uuid NOT NULL,
	"player_id" uuid,
	"year" integer NOT NULL,
	"total_cents" integer NOT NULL,
	"content" jsonb NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tax_receipts_number_unique" UNIQUE("number"),
	CONSTRAINT "tax_receipts_positive" CHECK ("tax_receipts"."total_cents" > 0)
);
--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "address" jsonb;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "legal_status" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "registration_number" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "signatory_name" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "signatory_title" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "receipt_prefix" text;--> statement-breakpoint
ALTER TABLE "donor_profiles" ADD CONSTRAINT "donor_profiles_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tax_receipts_one_per_year" ON "tax_receipts" USING btree ("ngo_id","player_id","year");--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_receipt_prefix_unique" UNIQUE("receipt_prefix");