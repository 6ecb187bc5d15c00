CREATE TABLE "friend_help_days" (
	"helper_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"day" text NOT NULL,
	"helps" integer NOT NULL,
	CONSTRAINT "friend_help_days_helper_id_owner_id_day_pk" PRIMARY KEY("helper_id","owner_id","day"),
	CONSTRAINT "friend_help_days_helps" CHECK ("friend_help_days"."helps" >= 1)
);
--> statement-breakpoint
CREATE TABLE "player_progress" (
	"player_id" uuid PRIMARY KEY NOT NULL,
	"xp" integer DEFAULT 0 NOT NULL,
	"quest_day" text,
	"quest_progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"quests_claimed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_reward_day" text,
	"reward_streak" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "player_progress_xp" CHECK ("player_progress"."xp" between 0 and 10000000),
	CONSTRAINT "player_progress_streak" CHECK ("player_progress"."reward_streak" >= 0)
);
--> statement-breakpoint
CREATE TABLE "progress_claims" (
	"player_id" uuid NOT NULL,
	"day" text NOT NULL,
	"reward" text NOT NULL,
	"coins" integer NOT NULL,
	"xp" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "progress_claims_player_id_day_reward_pk" PRIMARY KEY("player_id","day","reward")
);
--> statement-breakpoint
ALTER TABLE "friend_help_days" ADD CONSTRAINT "friend_help_days_helper_id_players_id_fk" FOREIGN KEY ("helper_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "friend_help_days" ADD CONSTRAINT "friend_help_days_owner_id_players_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "player_progress" ADD CONSTRAINT "player_progress_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_claims" ADD CONSTRAINT "progress_claims_player_id_players_id_fk" FOREIGN KEY ("player_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;