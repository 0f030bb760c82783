CREATE TABLE "arrivals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"person_kind" text NOT NULL,
	"employee_id" uuid,
	"name_encrypted" text,
	"name_masked" text NOT NULL,
	"id_number_encrypted" text,
	"id_number_hash" text,
	"id_number_masked" text NOT NULL,
	"phone_encrypted" text,
	"phone_masked" text,
	"origin_county_code" text NOT NULL,
	"pre_registered" boolean NOT NULL,
	"registration_completed_at" timestamp with time zone,
	"registration_reference" text,
	"arrived_at" timestamp with time zone NOT NULL,
	"health_code" text NOT NULL,
	"itinerary_code" text NOT NULL,
	"negative_test_sampled_at" timestamp with time zone,
	"contact_status" text NOT NULL,
	"rule" text NOT NULL,
	"action" text NOT NULL,
	"code_assignment" text NOT NULL,
	"code_protected" boolean NOT NULL,
	"risk_level" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"quarantine_ends_at" timestamp with time zone,
	"explain" text NOT NULL,
	"state" text NOT NULL,
	"test_sampled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drug_purchases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"feed_org_unit_id" uuid NOT NULL,
	"record_id" text NOT NULL,
	"id_number_encrypted" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"purchased_at" timestamp with time zone NOT NULL,
	"category" text NOT NULL,
	"pharmacy" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"employee_id" uuid,
	"enterprise_id" uuid,
	"region_code" text
);
--> statement-breakpoint
CREATE TABLE "risk_areas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"level" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"imported_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "arrivals" ADD CONSTRAINT "arrivals_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "arrivals" ADD CONSTRAINT "arrivals_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drug_purchases" ADD CONSTRAINT "drug_purchases_employee_id_employees_id_fk" FOREIGN KEY ("employee_id") REFERENCES "public"."employees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drug_purchases" ADD CONSTRAINT "drug_purchases_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "arrivals_enterprise_idx" ON "arrivals" USING btree ("enterprise_id","id");--> statement-breakpoint
CREATE INDEX "arrivals_region_idx" ON "arrivals" USING btree ("region_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "arrivals_test_open_idx" ON "arrivals" USING btree ("due_at") WHERE state in ('test_pending', 'test_missed');--> statement-breakpoint
CREATE UNIQUE INDEX "drug_purchases_natural_uq" ON "drug_purchases" USING btree ("feed_org_unit_id","record_id");--> statement-breakpoint
CREATE INDEX "drug_purchases_unmatched_idx" ON "drug_purchases" USING btree ("received_at") WHERE employee_id is null;--> statement-breakpoint
CREATE INDEX "drug_purchases_employee_idx" ON "drug_purchases" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_areas_natural_uq" ON "risk_areas" USING btree ("code","level","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_arrival_uq" ON "alerts" USING btree ("arrival_id","kind") WHERE state in ('new', 'acknowledged') and arrival_id is not null;