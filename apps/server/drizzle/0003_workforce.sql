CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"employee_id" uuid,
	"arrival_id" uuid,
	"raised_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"dismiss_reason" text,
	"note" text,
	"summary" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"report_date" date NOT NULL,
	"kind" text NOT NULL,
	"headcount_on_site" integer NOT NULL,
	"anomalies" jsonb,
	"anomaly_count" integer NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"filed_by" text NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"late" boolean NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"name_encrypted" text,
	"name_masked" text NOT NULL,
	"id_number_encrypted" text,
	"id_number_hash" text,
	"id_number_masked" text NOT NULL,
	"phone_encrypted" text,
	"phone_hash" text,
	"phone_masked" text NOT NULL,
	"role_category" text NOT NULL,
	"work_unit" text,
	"shift" text,
	"dorm" text,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	"health_code" text NOT NULL,
	"health_code_at" timestamp with time zone NOT NULL,
	"health_code_source" text NOT NULL,
	"itinerary_code" text NOT NULL,
	"itinerary_code_at" timestamp with time zone NOT NULL,
	"itinerary_code_source" text NOT NULL,
	"vaccination" text,
	"last_negative_at" timestamp with time zone,
	"last_test_at" timestamp with time zone,
	"last_result" text,
	"next_due_at" timestamp with time zone NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operating_mode_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"mode" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pcr_unmatched_results" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lab_org_unit_id" uuid NOT NULL,
	"lab_region_code" text NOT NULL,
	"lab_sample_id" text NOT NULL,
	"id_number_encrypted" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"result" text NOT NULL,
	"method" text NOT NULL,
	"tube_id" text NOT NULL,
	"retest_of_lab_sample_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"matched_at" timestamp with time zone,
	"matched_employee_id" uuid
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_reports" ADD CONSTRAINT "daily_reports_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operating_mode_changes" ADD CONSTRAINT "operating_mode_changes_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_uq" ON "alerts" USING btree ("employee_id","kind") WHERE state in ('new', 'acknowledged') and employee_id is not null;--> statement-breakpoint
CREATE INDEX "alerts_region_idx" ON "alerts" USING btree ("region_code" text_pattern_ops,"state");--> statement-breakpoint
CREATE INDEX "alerts_enterprise_idx" ON "alerts" USING btree ("enterprise_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "daily_reports_enterprise_day_uq" ON "daily_reports" USING btree ("enterprise_id","report_date");--> statement-breakpoint
CREATE INDEX "daily_reports_region_day_idx" ON "daily_reports" USING btree ("region_code" text_pattern_ops,"report_date");--> statement-breakpoint
CREATE UNIQUE INDEX "employees_active_id_number_uq" ON "employees" USING btree ("id_number_hash") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "employees_enterprise_idx" ON "employees" USING btree ("enterprise_id","id");--> statement-breakpoint
CREATE INDEX "employees_region_idx" ON "employees" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "employees_due_idx" ON "employees" USING btree ("next_due_at") WHERE status = 'active' and not overdue;--> statement-breakpoint
CREATE INDEX "operating_mode_changes_enterprise_idx" ON "operating_mode_changes" USING btree ("enterprise_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "pcr_unmatched_natural_uq" ON "pcr_unmatched_results" USING btree ("lab_org_unit_id","lab_sample_id");--> statement-breakpoint
CREATE INDEX "pcr_unmatched_hash_idx" ON "pcr_unmatched_results" USING btree ("id_number_hash") WHERE matched_at is null;--> statement-breakpoint
CREATE INDEX "pcr_unmatched_region_idx" ON "pcr_unmatched_results" USING btree ("lab_region_code" text_pattern_ops);