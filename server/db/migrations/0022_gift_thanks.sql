CREATE TABLE "gift_thanks" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"thanker_id" uuid NOT NULL,
	"note" text,
	"decoration_id" text,
	"item_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gift_thanks" ADD CONSTRAINT "gift_thanks_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_thanks" ADD CONSTRAINT "gift_thanks_thanker_id_players_id_fk" FOREIGN KEY ("thanker_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_thanks" ADD CONSTRAINT "gift_thanks_item_id_village_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."village_items"("id") ON DELETE set null ON UPDATE no action;