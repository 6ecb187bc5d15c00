ALTER TABLE "orders" ADD COLUMN "show_giver_name" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "coins" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "players" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "village_items" ADD COLUMN "decoration_id" text;--> statement-breakpoint
ALTER TABLE "village_items" ADD COLUMN "crop" jsonb;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_coins_range" CHECK ("players"."coins" between 0 and 1000000);--> statement-breakpoint
ALTER TABLE "village_items" ADD CONSTRAINT "village_items_one_kind" CHECK (num_nonnulls("village_items"."gift_id", "village_items"."decoration_id", "village_items"."crop") <= 1);--> statement-breakpoint
-- A gift paid into someone else's village tells that village's owner, in the same transaction as the
-- payment (so exactly once). The giver's name is in it only when the giver allowed it; no amount ever is.
CREATE FUNCTION "hameau_notify_gift_received"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_owner uuid;
BEGIN
  SELECT owner_id INTO v_owner FROM villages WHERE id = NEW.village_id;
  IF v_owner IS NULL OR v_owner = NEW.player_id THEN
    RETURN NULL;
  END IF;
  INSERT INTO notifications (player_id, kind, payload)
  SELECT v_owner, 'gift_received', jsonb_build_object(
    'orderId', NEW.id,
    'villageId', NEW.village_id,
    'fromName', CASE WHEN NEW.show_giver_name THEN (SELECT display_name FROM players WHERE id = NEW.player_id) END,
    'gifts', coalesce((SELECT jsonb_agg(jsonb_build_object('giftId', l.gift_id, 'quantity', l.quantity) ORDER BY l.id)
                       FROM order_lines l WHERE l.order_id = NEW.id), '[]'::jsonb));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "orders_gift_received" AFTER UPDATE OF "status" ON "orders"
  FOR EACH ROW WHEN (NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid')
  EXECUTE FUNCTION "hameau_notify_gift_received"();
