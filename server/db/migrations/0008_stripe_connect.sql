ALTER TABLE "ngos" ADD COLUMN "stripe_account_id" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "stripe_details_submitted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "stripe_charges_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "stripe_payouts_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "stripe_requirements_due" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "stripe_account_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_stripe_account_id_unique" UNIQUE("stripe_account_id");