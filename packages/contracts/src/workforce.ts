import { z } from 'zod';
import { IdNumberSchema, MobileSchema } from './validators';

/**
 * Workforce epidemic safety (issue 5): the roster with its 两码一证, PCR results pushed by labs, daily
 * reports, arrivals and sentinel alerts. Seed: 指南 二(一)(三)(四)(五)(六), 三(二)(三)(六)(七); 方案 三(一),
 * 六(二), 七(二). Request bodies are strict: an unknown field is refused, never ignored.
 */

const IsoDateSchema = z.iso.date();
/** An instant with an explicit offset (`2022-06-01T08:00:00+08:00` or `…Z`): a lab's local time is never guessed. */
const InstantSchema = z.iso.datetime({ offset: true });
/** A GB/T 2260 county-level code (six digits); any province, since 入豫 arrivals come from outside Henan. */
const CountyCodeSchema = z.string().regex(/^\d{6}$/);
const NameSchema = z.string().trim().min(1).max(50);
const OptionalText = (max: number) => z.string().trim().max(max).nullable().default(null);
/** Identifiers printed by lab systems and scanners: visible ASCII, no spaces. */
const LabCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/);

// ---------------------------------------------------------------------------------------------------------
// Enumerations (DESIGN.md §2 glossary)

/** 岗位类别: `regular` 48 h, `mobile` 流动性、接触性岗位 24 h, `city_supply` 城市保供 daily (指南 二(一), 三(六)). */
export const ROLE_CATEGORIES = ['regular', 'mobile', 'city_supply'] as const;
export const RoleCategorySchema = z.enum(ROLE_CATEGORIES);
export type RoleCategory = z.infer<typeof RoleCategorySchema>;

/** 运行模式 of an enterprise: `closed_loop` (闭环管理, 指南 三(三)) makes testing daily. */
export const OPERATING_MODES = ['normal', 'closed_loop'] as const;
export const OperatingModeSchema = z.enum(OPERATING_MODES);
export type OperatingMode = z.infer<typeof OperatingModeSchema>;

export const HEALTH_CODES = ['green', 'yellow', 'red'] as const;
export const HealthCodeSchema = z.enum(HEALTH_CODES);
export type HealthCode = z.infer<typeof HealthCodeSchema>;

/** 行程码: `starred` (带*号) still counts as normal for passage (指南 三(五)). */
export const ITINERARY_CODES = ['normal', 'starred', 'abnormal'] as const;
export const ItineraryCodeSchema = z.enum(ITINERARY_CODES);
export type ItineraryCode = z.infer<typeof ItineraryCodeSchema>;

export const EMPLOYEE_STATUSES = ['active', 'left'] as const;
export const EmployeeStatusSchema = z.enum(EMPLOYEE_STATUSES);

/** 疫苗接种 (指南 二(六) 应接尽接), only when the employee gives it. */
export const VACCINATION_STATUSES = ['none', 'partial', 'full', 'booster'] as const;
export const VaccinationStatusSchema = z.enum(VACCINATION_STATUSES);

/** `pcr_test` results; `invalid` is a lab's 无效/需重采, which is not a negative. */
export const PCR_RESULTS = ['negative', 'positive', 'invalid'] as const;
export const PcrResultSchema = z.enum(PCR_RESULTS);
export type PcrResult = z.infer<typeof PcrResultSchema>;

/** 混检 (`pooled`, several samples in one tube) or 单采 (`single`, one tube per person). */
export const PCR_METHODS = ['pooled', 'single'] as const;
export const PcrMethodSchema = z.enum(PCR_METHODS);
export type PcrMethod = z.infer<typeof PcrMethodSchema>;

// ---------------------------------------------------------------------------------------------------------
// PCR test results pushed by labs: POST /api/v1/workforce/test-results

/** Most rows one request may carry (issue 5: "up to 10 k rows a request"). */
export const TEST_RESULT_BATCH_MAX = 10_000;

/**
 * One lab result (`pcr_test`). The natural key is the lab (from the API token) + `labSampleId`, so a resent
 * row adds nothing. `tubeId` is the tube the sample went into — the pool's tube for a pooled test, shared by
 * everyone in the pool. A single-tube re-test of a pooled positive (指南 三(七): within 6 h) names the
 * pooled sample it re-tests in `retestOfLabSampleId`.
 */
export const TestResultRowSchema = z
  .strictObject({
    labSampleId: LabCodeSchema,
    idNumber: IdNumberSchema,
    /** When the swab was taken; the test certificate (两码一证) runs from here. */
    sampledAt: InstantSchema,
    result: PcrResultSchema,
    method: PcrMethodSchema,
    tubeId: LabCodeSchema,
    retestOfLabSampleId: LabCodeSchema.nullable().default(null),
  })
  .superRefine((row, ctx) => {
    if (row.retestOfLabSampleId !== null && row.method !== 'single') {
      ctx.addIssue({
        code: 'custom',
        path: ['retestOfLabSampleId'],
        message: 'WORKFORCE_RETEST_NOT_SINGLE',
        params: { code: 'WORKFORCE_RETEST_NOT_SINGLE' },
      });
    }
    if (row.retestOfLabSampleId !== null && row.retestOfLabSampleId === row.labSampleId) {
      ctx.addIssue({
        code: 'custom',
        path: ['retestOfLabSampleId'],
        message: 'WORKFORCE_RETEST_OF_ITSELF',
        params: { code: 'WORKFORCE_RETEST_OF_ITSELF' },
      });
    }
  });
export type TestResultRowInput = z.input<typeof TestResultRowSchema>;
export type TestResultRow = z.output<typeof TestResultRowSchema>;

/**
 * The request body: a JSON array of rows. Rows are deliberately `unknown` here so one bad row does not refuse
 * the other 9,999: the server checks each row with `TestResultRowSchema` and answers per-row errors.
 */
export const TestResultBatchBodySchema = z.array(z.unknown()).min(1).max(TEST_RESULT_BATCH_MAX);
export type TestResultBatchBody = z.infer<typeof TestResultBatchBodySchema>;

/** One idempotency key per batch (header, as for every other idempotent POST): a resent batch adds nothing. */
export const TestResultBatchHeadersSchema = z.object({
  'idempotency-key': z.string().min(8).max(100),
});

/** A rejected or duplicate row: its 0-based index in the array, the field (or `''` for the row) and a code. */
export const RowErrorSchema = z.object({
  row: z.number().int().min(0),
  field: z.string(),
  code: z.string(),
});
export type RowError = z.infer<typeof RowErrorSchema>;

/**
 * The answer: `accepted + duplicate + rejected` is the number of rows sent. `duplicate` counts rows whose
 * natural key was already stored or appeared earlier in the same batch; `replayed` is true when the whole
 * batch was answered from its idempotency key.
 */
export const TestResultBatchResponseSchema = z.object({
  received: z.number().int().min(0),
  accepted: z.number().int().min(0),
  duplicate: z.number().int().min(0),
  rejected: z.number().int().min(0),
  /** Accepted rows whose ID number is not on any roster yet: kept aside for matching, not dropped. */
  unmatched: z.number().int().min(0),
  errors: z.array(RowErrorSchema),
  replayed: z.boolean(),
});
export type TestResultBatchResponse = z.infer<typeof TestResultBatchResponseSchema>;

// ---------------------------------------------------------------------------------------------------------
// Roster (两码一证 per employee, 划小单元 by work unit / shift / dorm)

/** One employee as the enterprise enters or imports them. ID number and phone are stored encrypted. */
export const EmployeeBodySchema = z.strictObject({
  name: NameSchema,
  idNumber: IdNumberSchema,
  phone: MobileSchema,
  roleCategory: RoleCategorySchema,
  /** 划小单元 (指南 三(四)): work unit, shift (班组) and dormitory. */
  workUnit: OptionalText(50),
  shift: OptionalText(50),
  dorm: OptionalText(50),
  status: EmployeeStatusSchema.default('active'),
  /** First day on site; a person without a negative test is due from here (see workforce.cadence.ts). */
  startedOn: IsoDateSchema.nullable().default(null),
  healthCode: HealthCodeSchema,
  itineraryCode: ItineraryCodeSchema,
  vaccination: VaccinationStatusSchema.optional(),
});
export type EmployeeBodyInput = z.input<typeof EmployeeBodySchema>;
export type EmployeeBody = z.output<typeof EmployeeBodySchema>;

/**
 * `GET /workforce/employees`: the roster list's filters (strict: an unknown parameter is refused). `overdue`
 * lists active staff whose next test is past due now; `dueSoon` (issue 5) active staff not overdue whose next
 * test falls due within `workforce.dueSoonHours`, soonest first, so the enterprise can send them to the testing
 * point in time. Both at once list nobody (no one is both).
 */
export const EmployeeListQuerySchema = z.strictObject({
  enterpriseId: z.uuid().optional(),
  status: EmployeeStatusSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueSoon: z.enum(['true', 'false']).optional(),
  workUnit: z.string().trim().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional(),
});
export type EmployeeListQuery = z.input<typeof EmployeeListQuerySchema>;

// ---------------------------------------------------------------------------------------------------------
// Daily report (零报告 / 日报告, 指南 二(六); 方案 七(二))

/** `symptoms` 疑似症状, `sent_to_doctor` 已安排就医, `absent` 未到岗. */
export const DAILY_ANOMALY_KINDS = ['symptoms', 'sent_to_doctor', 'absent'] as const;
export const DailyAnomalyKindSchema = z.enum(DAILY_ANOMALY_KINDS);

export const DailyAnomalySchema = z.strictObject({
  employeeId: z.uuid(),
  kind: DailyAnomalyKindSchema,
  note: OptionalText(200),
});

const DailyReportFields = {
  reportDate: IsoDateSchema,
  headcountOnSite: z.number().int().min(0).max(1_000_000),
};

/**
 * A `daily_report`: `zero` (零报告 — nothing abnormal; distinct from no report at all) or `anomalies` with at
 * least one person, each kind at most once per person.
 */
export const DailyReportBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('zero'), ...DailyReportFields }),
  z
    .strictObject({
      kind: z.literal('anomalies'),
      ...DailyReportFields,
      anomalies: z.array(DailyAnomalySchema).min(1).max(10_000),
    })
    .superRefine((report, ctx) => {
      const seen = new Set<string>();
      report.anomalies.forEach((a, i) => {
        const key = `${a.employeeId}|${a.kind}`;
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['anomalies', i],
            message: 'DAILY_REPORT_DUPLICATE_ANOMALY',
            params: { code: 'DAILY_REPORT_DUPLICATE_ANOMALY' },
          });
        }
        seen.add(key);
      });
    }),
]);
export type DailyReportBodyInput = z.input<typeof DailyReportBodySchema>;
export type DailyReportBody = z.output<typeof DailyReportBodySchema>;

// ---------------------------------------------------------------------------------------------------------
// Arrivals (入豫报备, 指南 二(三); 差异化赋码, 二(四))

/** `visitor` 到访人员 or `returning_staff` 返回人员. */
export const ARRIVAL_PERSON_KINDS = ['visitor', 'returning_staff'] as const;
export const ArrivalPersonKindSchema = z.enum(ARRIVAL_PERSON_KINDS);

/** What the epidemic-prevention office has determined about a person (指南 二(四)). */
export const CONTACT_STATUSES = ['none', 'infected', 'close_contact', 'secondary_contact'] as const;
export const ContactStatusSchema = z.enum(CONTACT_STATUSES);
export type ContactStatus = z.infer<typeof ContactStatusSchema>;

/** An `arrival` as the enterprise records it. */
export const ArrivalBodySchema = z
  .strictObject({
    personKind: ArrivalPersonKindSchema,
    /** Returning staff: the roster row. */
    employeeId: z.uuid().nullable().default(null),
    name: NameSchema,
    idNumber: IdNumberSchema,
    phone: MobileSchema.nullable().default(null),
    originCountyCode: CountyCodeSchema,
    /** 提前报备 through 豫事办; an arrival that was not is completed later and raises an alert. */
    preRegistered: z.boolean(),
    arrivedAt: InstantSchema,
    healthCode: HealthCodeSchema,
    itineraryCode: ItineraryCodeSchema,
    /** Sample time of the negative test they carry (the 证 of 两码一证), if any. */
    negativeTestSampledAt: InstantSchema.nullable().default(null),
    contactStatus: ContactStatusSchema.default('none'),
  })
  .superRefine((a, ctx) => {
    if (a.personKind === 'visitor' && a.employeeId !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['employeeId'],
        message: 'ARRIVAL_VISITOR_WITH_EMPLOYEE',
        params: { code: 'ARRIVAL_VISITOR_WITH_EMPLOYEE' },
      });
    }
  });
export type ArrivalBodyInput = z.input<typeof ArrivalBodySchema>;
export type ArrivalBody = z.output<typeof ArrivalBodySchema>;

/** 风险等级 of an entry in the risk-area table (低风险 is the absence of an entry). */
export const RISK_LEVELS = ['medium', 'high', 'static'] as const;
export const RiskLevelSchema = z.enum(RISK_LEVELS);

/** An entry of the imported risk-area table: a county, city (`410100`) or province (`410000`), `from <= day < to`. */
export const RiskAreaSchema = z.object({
  id: z.string(),
  code: z.string(),
  level: RiskLevelSchema,
  from: z.string(),
  /** Null: still in force. */
  to: z.string().nullable(),
  source: z.string(),
  importedAt: z.string(),
});
export type RiskArea = z.infer<typeof RiskAreaSchema>;

/** What the code-assignment table decided (workforce.arrivals.ts): control, quarantine, arrival test or referral. */
export const ARRIVAL_ACTIONS = ['control', 'central_quarantine', 'arrival_test', 'refer'] as const;
/**
 * Where an arrival stands: `test_pending` until a negative sampled after arrival is found (`tested`) or the
 * deadline passes (`test_missed`, alert raised; a late negative still moves it to `tested`); control,
 * quarantine and referral are handed to the local authority at once (`handed_over`).
 */
export const ARRIVAL_STATES = ['test_pending', 'tested', 'test_missed', 'handed_over'] as const;
export const ArrivalStateSchema = z.enum(ARRIVAL_STATES);

/** An arrival as responses carry it: name, ID number and phone masked. */
export const ArrivalSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  /** On lists (officials see several enterprises' arrivals in one list). */
  enterpriseName: z.string().optional(),
  regionCode: z.string(),
  personKind: ArrivalPersonKindSchema,
  employeeId: z.string().nullable(),
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
  originCountyCode: z.string(),
  preRegistered: z.boolean(),
  /** When the enterprise completed the registration of an arrival that was not pre-registered. */
  registrationCompletedAt: z.string().nullable(),
  arrivedAt: z.string(),
  healthCode: HealthCodeSchema,
  itineraryCode: ItineraryCodeSchema,
  contactStatus: ContactStatusSchema,
  decision: z.object({
    rule: z.enum(['contact', 'protected', 'risk_area', 'two_codes', 'otherwise']),
    action: z.enum(ARRIVAL_ACTIONS),
    healthCode: z.enum(['assign_on_site', 'red', 'keep']),
    codeProtected: z.boolean(),
    riskLevel: z.enum(['low', ...RISK_LEVELS]),
    dueAt: z.string(),
    quarantineEndsAt: z.string().nullable(),
    /** Why, in Chinese, citing the seed. */
    explain: z.string(),
  }),
  state: ArrivalStateSchema,
  /** Sample time of the negative that satisfied the arrival test. */
  testSampledAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Arrival = z.infer<typeof ArrivalSchema>;

/** `POST /workforce/arrivals/:id/registration`: the 豫事办 registration was made after arrival. */
export const ArrivalRegistrationBodySchema = z.strictObject({
  /** The registration's reference number, if the person has one. */
  reference: z.string().trim().min(1).max(64).nullable().default(null),
});

/**
 * `POST /workforce/arrivals/:id/test-done`: the enterprise reports that the arrival test was taken (a visitor
 * tested at a site whose results do not reach the platform). The sample time must lie after the arrival.
 */
export const ArrivalTestDoneBodySchema = z.strictObject({ sampledAt: InstantSchema });
export type ArrivalTestDoneBody = z.infer<typeof ArrivalTestDoneBodySchema>;

// ---------------------------------------------------------------------------------------------------------
// Drug purchases (四类药品: 退热、止咳、抗病毒、抗生素, 指南 二(五))

export const DRUG_CATEGORIES = ['fever', 'cough', 'antiviral', 'antibiotic'] as const;
export const DrugCategorySchema = z.enum(DRUG_CATEGORIES);

/** One pharmacy purchase record; the natural key is the feed (from the API token) + `recordId`. */
export const DrugPurchaseRowSchema = z.strictObject({
  recordId: LabCodeSchema,
  idNumber: IdNumberSchema,
  purchasedAt: InstantSchema,
  category: DrugCategorySchema,
  pharmacy: z.string().trim().min(1).max(100),
});
export type DrugPurchaseRow = z.output<typeof DrugPurchaseRowSchema>;

/** Rows are checked one by one on the server, as for lab batches. */
export const DrugPurchaseBatchBodySchema = z.array(z.unknown()).min(1).max(TEST_RESULT_BATCH_MAX);

export const DrugPurchaseBatchResponseSchema = z.object({
  received: z.number().int().min(0),
  accepted: z.number().int().min(0),
  duplicate: z.number().int().min(0),
  rejected: z.number().int().min(0),
  /** Accepted rows matched to an active employee. */
  matched: z.number().int().min(0),
  /** Accepted rows for ID numbers on no active roster: kept aside briefly (retention), then deleted. */
  unmatched: z.number().int().min(0),
  alertsRaised: z.number().int().min(0),
  errors: z.array(RowErrorSchema),
  replayed: z.boolean(),
});
export type DrugPurchaseBatchResponse = z.infer<typeof DrugPurchaseBatchResponseSchema>;

// ---------------------------------------------------------------------------------------------------------
// Provincial report (赋码保护, 指南 三(二)): docs/provincial-report.md

/**
 * One person on the 赋码保护 list: exactly what the provincial epidemic platform needs to find the person's
 * code and protect it — nothing about health, tests, phone or dormitory.
 */
export const ProvincialReportRowSchema = z.object({
  idNumber: z.string(),
  name: z.string(),
  enterpriseUscc: z.string(),
  enterpriseName: z.string(),
  /** The enterprise's county (GB/T 2260). */
  regionCode: z.string(),
});
export type ProvincialReportRow = z.infer<typeof ProvincialReportRowSchema>;

// ---------------------------------------------------------------------------------------------------------
// Alerts (电子哨, 指南 二(五))

export const ALERT_KINDS = [
  'overdue_test',
  'unregistered_arrival',
  'drug_purchase',
  'positive_result',
  'arrival_test_missed',
  'quarantine_breach',
  /** 零报告 not filed yet shortly before the day's deadline: a reminder to the enterprise (resolved by filing). */
  'daily_report_due',
] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const ALERT_STATES = ['new', 'acknowledged', 'resolved', 'dismissed'] as const;
export const AlertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertStateSchema>;

/**
 * Allowed moves: new → acknowledged → resolved / dismissed. A new alert may also be resolved directly (the
 * overdue person's test arrives before anyone looked) or dismissed (a false hit); resolved and dismissed are
 * final.
 */
export const ALERT_TRANSITIONS: Readonly<Record<AlertState, readonly AlertState[]>> = {
  new: ['acknowledged', 'resolved', 'dismissed'],
  acknowledged: ['resolved', 'dismissed'],
  resolved: [],
  dismissed: [],
};

/** Whether an alert in state `from` may move to `to`. */
export function canTransitionAlert(from: AlertState, to: AlertState): boolean {
  return ALERT_TRANSITIONS[from].includes(to);
}

export const AlertSchema = z.object({
  id: z.string(),
  kind: AlertKindSchema,
  state: AlertStateSchema,
  enterpriseId: z.string(),
  /** The county (GB/T 2260) the enterprise is in: alerts are counted and scoped by region. */
  regionCode: z.string(),
  employeeId: z.string().nullable(),
  arrivalId: z.string().nullable(),
  raisedAt: z.string(),
  /** By when the enterprise must act (e.g. the overdue test taken, the arrival completed). */
  deadline: z.string(),
  acknowledgedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  dismissReason: z.string().nullable(),
  /** What happened, in Chinese, without personal data beyond what the viewer may see. */
  summary: z.string(),
});
export type Alert = z.infer<typeof AlertSchema>;

/** `POST /workforce/alerts/:id/transitions`: acknowledge, resolve, or dismiss with a reason. */
export const AlertTransitionBodySchema = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('acknowledged') }),
  z.strictObject({ to: z.literal('resolved'), note: OptionalText(500) }),
  z.strictObject({ to: z.literal('dismissed'), reason: z.string().trim().min(2).max(500) }),
]);
export type AlertTransitionBody = z.infer<typeof AlertTransitionBodySchema>;

// ---------------------------------------------------------------------------------------------------------
// Responses of the roster, report and alert routes (server and web share these shapes).

/**
 * An employee as responses carry it: name, ID number and phone MASKED (the full value only through the
 * audited `POST /pii/reveal`), and compliance. The schema is the guard: an unlisted field never leaves.
 */
export const EmployeeSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  regionCode: z.string(),
  name: z.string(),
  idNumber: z.string(),
  phone: z.string(),
  roleCategory: z.enum(ROLE_CATEGORIES),
  workUnit: z.string().nullable(),
  shift: z.string().nullable(),
  dorm: z.string().nullable(),
  status: z.enum(EMPLOYEE_STATUSES),
  startedAt: z.string(),
  healthCode: z.enum(HEALTH_CODES),
  healthCodeAt: z.string(),
  itineraryCode: z.enum(ITINERARY_CODES),
  itineraryCodeAt: z.string(),
  vaccination: z.enum(VACCINATION_STATUSES).nullable(),
  /** The enterprise's name, on roster lists (officials see several enterprises' staff in one list). */
  enterpriseName: z.string().optional(),
  lastNegativeAt: z.string().nullable(),
  lastTestAt: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  /** Past due now (the sweep may not have flagged it yet); never for someone who left. */
  overdue: z.boolean(),
  /** Not overdue, and due within the `workforce.dueSoonHours` window in force now (the roster's amber). */
  dueSoon: z.boolean(),
});
export type Employee = z.infer<typeof EmployeeSchema>;

export const DailyReportSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  regionCode: z.string(),
  reportDate: z.string(),
  kind: z.enum(['zero', 'anomalies']),
  headcountOnSite: z.number().int(),
  anomalyCount: z.number().int(),
  filedAt: z.string(),
  deadlineAt: z.string(),
  late: z.boolean(),
  revision: z.number().int(),
});
export type DailyReport = z.infer<typeof DailyReportSchema>;

/** Completeness (reported ÷ expected) and timeliness (on time ÷ expected) of a day's reports by region. */
export const DailyReportStatsSchema = z.object({
  date: z.string(),
  items: z.array(
    z.object({
      regionCode: z.string(),
      expected: z.number().int(),
      reported: z.number().int(),
      onTime: z.number().int(),
      zero: z.number().int(),
      anomalies: z.number().int(),
      completeness: z.number(),
      timeliness: z.number(),
    }),
  ),
});
export type DailyReportStats = z.infer<typeof DailyReportStatsSchema>;

export const AlertCountsSchema = z.object({
  items: z.array(
    z.object({
      regionCode: z.string(),
      kind: z.enum(ALERT_KINDS),
      open: z.number().int(),
      total: z.number().int(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------------
// Compliance of enterprises, for liaison cadres and counties (GET /workforce/compliance)

/** The daily report of the last business day whose deadline has passed: zero, on time, late or missing. */
export const REPORT_STANDINGS = ['zero', 'on_time', 'late', 'missing'] as const;
export const ReportStandingSchema = z.enum(REPORT_STANDINGS);
export type ReportStanding = z.infer<typeof ReportStandingSchema>;

/**
 * How an enterprise stands overall: `poor` (≥ 10 % of active staff overdue, or the report missing),
 * `attention` (anyone overdue, a late report, an open alert or an arrival action still open), else `good`.
 */
export const COMPLIANCE_STANDINGS = ['good', 'attention', 'poor'] as const;
export const ComplianceStandingSchema = z.enum(COMPLIANCE_STANDINGS);
export type ComplianceStanding = z.infer<typeof ComplianceStandingSchema>;

export const COMPLIANCE_SORTS = [
  'standing',
  'overdueShare',
  'overdue',
  'dueSoon',
  'employees',
  'openAlerts',
  'arrivalsOpen',
  'name',
  'region',
] as const;
export type ComplianceSort = (typeof COMPLIANCE_SORTS)[number];

export const ComplianceQuerySchema = z.strictObject({
  /** A county, city (`410100`) or province code inside the actor's region. */
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  standing: ComplianceStandingSchema.optional(),
  sort: z.enum(COMPLIANCE_SORTS).default('standing'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Subtotals by county (default) or by city. */
  by: z.enum(['county', 'city']).default('county'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type ComplianceQuery = z.infer<typeof ComplianceQuerySchema>;

/** One enterprise: its active staff and their test compliance, its daily report, open alerts and arrivals. */
export const ComplianceRowSchema = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  regionCode: z.string(),
  whitelisted: z.boolean(),
  employees: z.number().int(),
  testedOnTime: z.number().int(),
  overdue: z.number().int(),
  /** overdue ÷ employees; 0 with no active staff. */
  overdueShare: z.number(),
  /**
   * Active staff not overdue (not flagged, next test not yet past due) whose next test falls due within the
   * response's `dueSoonHours`. Counted among `testedOnTime`; it does not change the standing.
   */
  dueSoon: z.number().int(),
  report: ReportStandingSchema,
  /** The latest business day the enterprise filed a report for, if ever. */
  lastReportDate: z.string().nullable(),
  openAlerts: z.number().int(),
  /** Arrivals whose required action is still open (arrival test pending or missed, registration missing). */
  arrivalsOpen: z.number().int(),
  /** Arrivals recorded over the last 7 days. */
  arrivalsWeek: z.number().int(),
  standing: ComplianceStandingSchema,
});
export type ComplianceRow = z.infer<typeof ComplianceRowSchema>;

/** Totals of a county, a city or the whole scope. */
export const ComplianceTotalsSchema = z.object({
  regionCode: z.string(),
  enterprises: z.number().int(),
  employees: z.number().int(),
  testedOnTime: z.number().int(),
  overdue: z.number().int(),
  overdueShare: z.number(),
  dueSoon: z.number().int(),
  reportsMissing: z.number().int(),
  reportsLate: z.number().int(),
  openAlerts: z.number().int(),
  arrivalsOpen: z.number().int(),
  poor: z.number().int(),
});
export type ComplianceTotals = z.infer<typeof ComplianceTotalsSchema>;

export const ComplianceResponseSchema = z.object({
  asOf: z.string(),
  /** The business day whose daily report `report` judges (today once its deadline has passed, else yesterday). */
  reportDate: z.string(),
  /** Enterprises matching the filter (the list may be cut at `limit`). */
  total: z.number().int(),
  /** The "due soon" window in hours (`workforce.dueSoonHours` in force at `asOf`). */
  dueSoonHours: z.number(),
  items: z.array(ComplianceRowSchema),
  regions: z.array(ComplianceTotalsSchema),
  totals: ComplianceTotalsSchema,
});
export type ComplianceResponse = z.infer<typeof ComplianceResponseSchema>;
