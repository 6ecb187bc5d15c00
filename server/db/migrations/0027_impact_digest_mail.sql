ALTER TABLE "mail_queue" DROP CONSTRAINT "mail_queue_kind";--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "mail_locale" text DEFAULT 'fr' NOT NULL;--> statement-breakpoint
ALTER TABLE "impact_digests" ADD COLUMN "unsubscribed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_mail_locale" CHECK ("players"."mail_locale" in ('fr', 'en'));--> statement-breakpoint
ALTER TABLE "mail_queue" ADD CONSTRAINT "mail_queue_kind" CHECK ("mail_queue"."kind" in ('order_receipt', 'tax_receipt_cancelled', 'monthly_payment_problem', 'impact_digest'));