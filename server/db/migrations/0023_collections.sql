CREATE TABLE "collection_claims" (
	"player_id" uuid NOT NULL,
	"set_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_claims_player_id_set_id_pk" PRIMARY KEY("player_id","set_id")
);
--> statement-breakpoint
CREATE TABLE "collection_pieces" (
	"player_id" uuid NOT NULL,
	"piece_id" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "collection_pieces_player_id_piece_id_pk" PRIMARY KEY("player_id","piece_id"),
	CONSTRAINT "collection_pieces_count" CHECK ("collection_pieces"."count" >= 1)
);
--> statement-breakpoint
ALTER TABLE "collection_claims" ADD CONSTRAINT "collection_claims_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_pieces" ADD CONSTRAINT "collection_pieces_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;