CREATE TABLE "ngo_invitations" (
	"ngo_id" uuid NOT NULL,
	"player_id" uuid NOT NULL,
	"role" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ngo_invitations_ngo_id_player_id_pk" PRIMARY KEY("ngo_id","player_id"),
	CONSTRAINT "ngo_invitations_role" CHECK ("ngo_invitations"."role" in ('admin', 'editor', 'viewer'))
);
--> statement-breakpoint
ALTER TABLE "ngo_invitations" ADD CONSTRAINT "ngo_invitations_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngo_invitations" ADD CONSTRAINT "ngo_invitations_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ngo_invitations" ADD CONSTRAINT "ngo_invitations_invited_by_players_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."players"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ngo_invitations_player_idx" ON "ngo_invitations" USING btree ("player_id");