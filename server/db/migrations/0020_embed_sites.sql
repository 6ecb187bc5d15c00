CREATE TABLE "ngo_embed_sites" (
	"ngo_id" uuid NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ngo_embed_sites_ngo_id_origin_pk" PRIMARY KEY("ngo_id","origin"),
	CONSTRAINT "ngo_embed_sites_origin" CHECK ("ngo_embed_sites"."origin" ~ '^https?://[a-z0-9.:\[\]-]+$')
);
--> statement-breakpoint
ALTER TABLE "ngo_embed_sites" ADD CONSTRAINT "ngo_embed_sites_ngo_id_ngos_id_fk" FOREIGN KEY ("ngo_id") REFERENCES "public"."ngos"("id") ON DELETE cascade ON UPDATE no action;
