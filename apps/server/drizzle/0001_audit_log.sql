-- The audit log: append-only, hash-chained, partitioned by month so old months drop cheaply (DESIGN.md §4).
-- Hand-written: drizzle-kit does not express partitioning or triggers.
CREATE SEQUENCE "audit_seq";
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"org_unit_id" text,
	"region_code" text,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text,
	"summary" jsonb NOT NULL,
	"request_id" text,
	"ip" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	PRIMARY KEY ("seq", "at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
CREATE TABLE "audit_log_default" PARTITION OF "audit_log" DEFAULT;
--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" ("object_type", "object_id");
--> statement-breakpoint
CREATE INDEX "audit_log_region_at_idx" ON "audit_log" ("region_code" text_pattern_ops, "at");
--> statement-breakpoint
-- Rows are never changed or removed through the application: only whole months are dropped by retention.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
--> statement-breakpoint
-- Creates the partition of the month containing `month` if missing (called at start and by a daily job).
CREATE FUNCTION "audit_log_ensure_partition"(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  name text := 'audit_log_' || to_char(first, 'YYYYMM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
      name, first::timestamptz, (first + interval '1 month')::timestamptz);
  END IF;
END;
$$;
