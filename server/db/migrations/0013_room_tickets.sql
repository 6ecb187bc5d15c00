CREATE TABLE "room_tickets" (
	"ticket_hash" text PRIMARY KEY NOT NULL,
	"session_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "room_tickets" ADD CONSTRAINT "room_tickets_session_hash_sessions_token_hash_fk" FOREIGN KEY ("session_hash") REFERENCES "public"."sessions"("token_hash") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "room_tickets_expires_idx" ON "room_tickets" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "room_tickets_session_idx" ON "room_tickets" USING btree ("session_hash");