-- PCR test results matched to roster employees, partitioned by month of the sample time (DESIGN.md §4, §6:
-- ~2 M rows a day), so a month past retention drops as one partition. Hand-written: drizzle-kit does not
-- express partitioning. Its Drizzle definition (workforce.pcr.schema.ts) is outside drizzle.config.ts's glob.
CREATE TABLE "pcr_tests" (
	"id" uuid NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"region_code" text NOT NULL,
	"employee_id" uuid NOT NULL,
	"lab_org_unit_id" uuid NOT NULL,
	"lab_sample_id" text NOT NULL,
	"tube_id" text NOT NULL,
	"method" text NOT NULL,
	"result" text NOT NULL,
	"retest_of_lab_sample_id" text,
	"received_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("id", "sampled_at")
) PARTITION BY RANGE ("sampled_at");
--> statement-breakpoint
-- Rows outside every month partition (old history, a partition not yet created) land here.
CREATE TABLE "pcr_tests_default" PARTITION OF "pcr_tests" DEFAULT;
--> statement-breakpoint
-- The natural key with the partition column (a partitioned unique index must contain it); the ingest checks
-- (lab, sample) alone under a per-lab advisory lock, and this index serves that lookup too.
CREATE UNIQUE INDEX "pcr_tests_natural_uq" ON "pcr_tests" ("lab_org_unit_id", "lab_sample_id", "sampled_at");
--> statement-breakpoint
CREATE INDEX "pcr_tests_employee_idx" ON "pcr_tests" ("employee_id", "sampled_at");
--> statement-breakpoint
CREATE INDEX "pcr_tests_region_idx" ON "pcr_tests" ("region_code" text_pattern_ops, "sampled_at");
--> statement-breakpoint
CREATE INDEX "pcr_tests_enterprise_idx" ON "pcr_tests" ("enterprise_id", "sampled_at");
--> statement-breakpoint
-- Creates the partition of the month containing `month` if missing (called at start and by a daily job).
CREATE FUNCTION "pcr_tests_ensure_partition"(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  name text := 'pcr_tests_' || to_char(first, 'YYYYMM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF pcr_tests FOR VALUES FROM (%L) TO (%L)',
      name, first::timestamptz, (first + interval '1 month')::timestamptz);
  END IF;
END;
$$;
