CREATE TABLE "whitelist_application_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whitelist_entry_events" ADD COLUMN "from_tier" text;--> statement-breakpoint
ALTER TABLE "whitelist_entry_events" ADD COLUMN "to_tier" text;--> statement-breakpoint
ALTER TABLE "whitelist_application_files" ADD CONSTRAINT "whitelist_application_files_application_id_whitelist_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."whitelist_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whitelist_application_files_application_idx" ON "whitelist_application_files" USING btree ("application_id","created_at");