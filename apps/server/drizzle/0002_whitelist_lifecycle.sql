CREATE TABLE "enterprise_activation_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_liaisons" (
	"enterprise_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone_encrypted" text NOT NULL,
	"phone_hash" text NOT NULL,
	"org_unit_name" text,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"linked_enterprise_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprise_registrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"uscc" text NOT NULL,
	"region_code" text NOT NULL,
	"enterprise" jsonb NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text,
	"enterprise_id" uuid
);
--> statement-breakpoint
CREATE TABLE "whitelist_applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"sector" text NOT NULL,
	"region_code" text NOT NULL,
	"status" text NOT NULL,
	"criteria_id" uuid NOT NULL,
	"answers" jsonb NOT NULL,
	"attachments" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"criteria_status" text NOT NULL,
	"review_tier" text NOT NULL,
	"city_operations" boolean NOT NULL,
	"linked_to_listed" boolean NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"paused_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_reason" text,
	"entry_id" uuid
);
--> statement-breakpoint
CREATE TABLE "whitelist_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sector" text NOT NULL,
	"region_code" text NOT NULL,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"title" text,
	"entry_count" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whitelist_criteria" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sector" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"rule" jsonb NOT NULL,
	"tests" jsonb NOT NULL,
	"tier_table" jsonb NOT NULL,
	"management_text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text
);
--> statement-breakpoint
CREATE TABLE "whitelist_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"sector" text NOT NULL,
	"region_code" text NOT NULL,
	"application_id" uuid,
	"status" text NOT NULL,
	"service_tier" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"reason" text,
	"removal_kind" text,
	"removed_at" timestamp with time zone,
	"batch_id" uuid
);
--> statement-breakpoint
CREATE TABLE "whitelist_entry_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entry_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"kind" text,
	"evidence" jsonb,
	"actor_name" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whitelist_spot_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entry_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"sector" text NOT NULL,
	"region_code" text NOT NULL,
	"checked_on" date NOT NULL,
	"items" jsonb NOT NULL,
	"findings" text NOT NULL,
	"result" text NOT NULL,
	"rectification_due" date,
	"rectified_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enterprise_activation_codes" ADD CONSTRAINT "enterprise_activation_codes_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_liaisons" ADD CONSTRAINT "enterprise_liaisons_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_links" ADD CONSTRAINT "enterprise_links_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_links" ADD CONSTRAINT "enterprise_links_linked_enterprise_id_enterprises_id_fk" FOREIGN KEY ("linked_enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_applications" ADD CONSTRAINT "whitelist_applications_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_applications" ADD CONSTRAINT "whitelist_applications_criteria_id_whitelist_criteria_id_fk" FOREIGN KEY ("criteria_id") REFERENCES "public"."whitelist_criteria"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_entries" ADD CONSTRAINT "whitelist_entries_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_entries" ADD CONSTRAINT "whitelist_entries_batch_id_whitelist_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."whitelist_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_entry_events" ADD CONSTRAINT "whitelist_entry_events_entry_id_whitelist_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."whitelist_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whitelist_spot_checks" ADD CONSTRAINT "whitelist_spot_checks_entry_id_whitelist_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."whitelist_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_activation_codes_enterprise_idx" ON "enterprise_activation_codes" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_links_uq" ON "enterprise_links" USING btree ("enterprise_id","linked_enterprise_id","direction");--> statement-breakpoint
CREATE INDEX "enterprise_links_linked_idx" ON "enterprise_links" USING btree ("linked_enterprise_id");--> statement-breakpoint
CREATE INDEX "enterprise_registrations_region_idx" ON "enterprise_registrations" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "enterprise_registrations_pending_uq" ON "enterprise_registrations" USING btree ("uscc") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "whitelist_applications_region_idx" ON "whitelist_applications" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "whitelist_applications_enterprise_idx" ON "whitelist_applications" USING btree ("enterprise_id","sector");--> statement-breakpoint
CREATE INDEX "whitelist_applications_queue_idx" ON "whitelist_applications" USING btree ("status","sector","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "whitelist_applications_open_uq" ON "whitelist_applications" USING btree ("enterprise_id","sector") WHERE status in ('submitted', 'returned');--> statement-breakpoint
CREATE UNIQUE INDEX "whitelist_batches_number_uq" ON "whitelist_batches" USING btree ("sector","region_code","number");--> statement-breakpoint
CREATE INDEX "whitelist_batches_region_idx" ON "whitelist_batches" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "whitelist_criteria_version_uq" ON "whitelist_criteria" USING btree ("sector","version");--> statement-breakpoint
CREATE UNIQUE INDEX "whitelist_criteria_published_uq" ON "whitelist_criteria" USING btree ("sector") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "whitelist_entries_region_idx" ON "whitelist_entries" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "whitelist_entries_sector_idx" ON "whitelist_entries" USING btree ("sector","status");--> statement-breakpoint
CREATE INDEX "whitelist_entries_batch_idx" ON "whitelist_entries" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "whitelist_entries_current_uq" ON "whitelist_entries" USING btree ("enterprise_id","sector") WHERE status <> 'removed';--> statement-breakpoint
CREATE INDEX "whitelist_entry_events_entry_idx" ON "whitelist_entry_events" USING btree ("entry_id","at");--> statement-breakpoint
CREATE INDEX "whitelist_spot_checks_region_idx" ON "whitelist_spot_checks" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "whitelist_spot_checks_entry_idx" ON "whitelist_spot_checks" USING btree ("entry_id");