CREATE TABLE "mail_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"player_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "mail_queue_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "mail_queue_kind" CHECK ("mail_queue"."kind" in ('order_receipt', 'tax_receipt_cancelled'))
);
--> statement-breakpoint
DROP INDEX "tax_receipts_one_per_year";--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "tax_receipt_status" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "tax_evidence_reference" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "tax_evidence_date" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "tax_evidence_document_url" text;--> statement-breakpoint
ALTER TABLE "ngos" ADD COLUMN "refund_window_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD COLUMN "status" text DEFAULT 'issued' NOT NULL;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD COLUMN "replaces_id" uuid;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD COLUMN "cancellation_reason" text;--> statement-breakpoint
ALTER TABLE "mail_queue" ADD CONSTRAINT "mail_queue_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_queue_due_idx" ON "mail_queue" USING btree ("next_attempt_at") WHERE "mail_queue"."done_at" is null;--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_replaces_id_tax_receipts_id_fk" FOREIGN KEY ("replaces_id") REFERENCES "public"."tax_receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tax_receipts_one_per_year" ON "tax_receipts" USING btree ("ngo_id","player_id","year") WHERE "tax_receipts"."status" = 'issued';--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_replaces_id_unique" UNIQUE("replaces_id");--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_tax_receipt_status" CHECK ("ngos"."tax_receipt_status" in ('none', 'interet_general', 'utilite_publique'));--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_tax_evidence" CHECK ("ngos"."tax_receipt_status" = 'none' or ("ngos"."tax_evidence_reference" is not null and "ngos"."tax_evidence_date" is not null));--> statement-breakpoint
ALTER TABLE "ngos" ADD CONSTRAINT "ngos_refund_window" CHECK ("ngos"."refund_window_days" between 0 and 180);--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_status" CHECK ("tax_receipts"."status" in ('issued', 'cancelled'));--> statement-breakpoint
ALTER TABLE "tax_receipts" ADD CONSTRAINT "tax_receipts_cancelled" CHECK (("tax_receipts"."status" = 'cancelled') = ("tax_receipts"."cancelled_at" is not null));--> statement-breakpoint
-- A paid order of an account holder queues its receipt mail in the transaction that pays it
-- (whatever path pays it: the fulfilment function, a batch, a replay). The dedupe key makes a
-- second payment event queue nothing; guests have no address and get no row. The mail itself is
-- sent after commit by server/mail/mail-queue.ts.
CREATE FUNCTION "hameau_queue_order_receipt_mail"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO mail_queue (kind, dedupe_key, player_id, payload)
    SELECT 'order_receipt', 'order_receipt:' || NEW.id, NEW.player_id, jsonb_build_object('orderId', NEW.id)
    FROM accounts a WHERE a.player_id = NEW.player_id
    ON CONFLICT (dedupe_key) DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "orders_queue_receipt_mail" AFTER UPDATE OF "status" ON "orders"
  FOR EACH ROW WHEN (NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid')
  EXECUTE FUNCTION "hameau_queue_order_receipt_mail"();
