import { z } from 'zod';
import { SECTORS } from './access';
import { MobileSchema, UsccSchema } from './validators';

/**
 * The whitelist lifecycle (issue 4): the enterprise registry additions (create, links, liaison, claim,
 * registration), criteria, applications with 达标即入, review, entries, spot checks, batches, the public
 * list and coverage. Every request and response body of those routes is declared here.
 */

export const SectorSchema = z.enum(SECTORS);
export const ENTERPRISE_KINDS = ['enterprise', 'project', 'park'] as const;
export const EnterpriseKindSchema = z.enum(ENTERPRISE_KINDS);
/** 分级保障: the tier that serves an entry (方案 二(三)). */
export const SERVICE_TIERS = ['province', 'city', 'county'] as const;
export const ServiceTierSchema = z.enum(SERVICE_TIERS);
export type ServiceTier = z.infer<typeof ServiceTierSchema>;
const RegionCodeSchema = z.string().regex(/^\d{6}$/);
const LabelSchema = z.object({ zh: z.string(), en: z.string().optional() });
const IsoDateSchema = z.iso.date();
const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------------------
// Enterprise registry additions

export const CreateEnterpriseBodySchema = z.strictObject({
  kind: EnterpriseKindSchema.default('enterprise'),
  uscc: UsccSchema,
  name: z.string().trim().min(2).max(100),
  sectors: z.array(SectorSchema).min(1).max(SECTORS.length),
  /** The county-level code (GB/T 2260). */
  regionCode: RegionCodeSchema,
  address: z.string().trim().max(200).nullable().default(null),
  headcount: z.number().int().min(0).max(1_000_000).default(0),
  /** Annual output value (enterprises, parks) or planned investment (projects), in fen (1 元 = 100 fen). */
  annualValueFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  cityOperations: z.boolean().default(false),
});
export type CreateEnterpriseBody = z.infer<typeof CreateEnterpriseBodySchema>;

/** 链式保障: an upstream (supplier) or downstream (customer) enterprise of this one. */
export const LINK_DIRECTIONS = ['upstream', 'downstream'] as const;
export const CreateEnterpriseLinkBodySchema = z.strictObject({
  linkedEnterpriseId: z.uuid(),
  direction: z.enum(LINK_DIRECTIONS),
  note: z.string().trim().max(200).nullable().default(null),
});
export const EnterpriseLinkSchema = z.object({
  id: z.string(),
  direction: z.enum(LINK_DIRECTIONS),
  note: z.string().nullable(),
  linkedEnterprise: z.object({ id: z.string(), name: z.string(), uscc: z.string(), regionCode: z.string() }),
  createdAt: z.string(),
});
export const EnterpriseLinkListSchema = z.object({ items: z.array(EnterpriseLinkSchema) });

/** 包保干部: the cadre responsible for one enterprise (方案 九(二)). The phone is stored encrypted. */
export const SetLiaisonBodySchema = z.strictObject({
  name: z.string().trim().min(2).max(30),
  phone: MobileSchema,
  /** The cadre's unit (a local government, usually). */
  orgUnitName: z.string().trim().max(100).nullable().default(null),
});
export const LiaisonSchema = z.object({
  name: z.string(),
  /** Masked: `138****8000`. */
  phoneMasked: z.string(),
  orgUnitName: z.string().nullable(),
  assignedAt: z.string(),
});
export const EnterpriseLiaisonSchema = z.object({ liaison: LiaisonSchema.nullable() });

/** An activation code the county issues so an enterprise can claim its account; shown once. */
export const IssueActivationCodeBodySchema = z.strictObject({
  validDays: z.number().int().min(1).max(30).default(7),
});
export const ActivationCodeSchema = z.object({ code: z.string(), expiresAt: z.string() });

const AccountFields = {
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/),
  displayName: z.string().trim().min(1).max(50),
  /** Must meet the password policy (12+ characters, three classes, not common). */
  password: z.string().min(1).max(256),
};

/** `POST /public/enterprises/claim`: an enterprise user takes over a registered enterprise with its code. */
export const ClaimEnterpriseBodySchema = z.strictObject({
  uscc: UsccSchema,
  code: z.string().trim().min(6).max(32),
  ...AccountFields,
});
export const ClaimEnterpriseResponseSchema = z.object({
  enterpriseId: z.string(),
  username: z.string(),
});

/** `POST /public/enterprises/registrations`: an enterprise not yet in the registry registers itself. */
export const RegisterEnterpriseBodySchema = z.strictObject({
  enterprise: CreateEnterpriseBodySchema,
  ...AccountFields,
});
export const REGISTRATION_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export const RegistrationSchema = z.object({
  id: z.string(),
  status: z.enum(REGISTRATION_STATUSES),
  uscc: z.string(),
  name: z.string(),
  kind: EnterpriseKindSchema,
  sectors: z.array(SectorSchema),
  regionCode: z.string(),
  address: z.string().nullable(),
  headcount: z.number().int(),
  annualValueFen: z.number().int(),
  cityOperations: z.boolean(),
  username: z.string(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  enterpriseId: z.string().nullable(),
});
export const RegistrationListSchema = z.object({ items: z.array(RegistrationSchema) });
export const DecideRegistrationBodySchema = z.strictObject({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().min(2).max(500).optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Criteria: rule trees over the whitelist fact catalogue

/**
 * The facts whitelist criteria may use. `enterprise`: from the registry; `answer`: the application's answers
 * (closed-loop capacity, 指南 二(七), 三(三)); `derived`: computed by the server from both.
 */
export type WhitelistFactSource = 'enterprise' | 'answer' | 'derived';
export interface WhitelistFactDef {
  type: 'number' | 'boolean' | 'string' | 'enum' | 'date' | 'list';
  label: { zh: string; en: string };
  unit?: { zh: string; en: string };
  values?: Record<string, { zh: string; en: string }>;
  source: WhitelistFactSource;
}

export const WHITELIST_FACTS = {
  kind: {
    type: 'enum',
    label: { zh: '主体类型', en: 'Kind' },
    values: {
      enterprise: { zh: '企业', en: 'enterprise' },
      project: { zh: '项目', en: 'project' },
      park: { zh: '园区', en: 'park' },
    },
    source: 'enterprise',
  },
  headcount: {
    type: 'number',
    label: { zh: '员工人数', en: 'Employees' },
    unit: { zh: '人', en: 'persons' },
    source: 'enterprise',
  },
  annualValueWan: {
    type: 'number',
    label: { zh: '年产值或计划总投资', en: 'Annual output or planned investment' },
    unit: { zh: '万元', en: '10k yuan' },
    source: 'enterprise',
  },
  cityOperations: {
    type: 'boolean',
    label: { zh: '城市运行保障企业', en: 'City-operations enterprise' },
    source: 'enterprise',
  },
  linkedToListed: {
    type: 'boolean',
    label: { zh: '与已入库企业存在上下游关联', en: 'Linked to a listed enterprise' },
    source: 'derived',
  },
  closedLoopMode: {
    type: 'enum',
    label: { zh: '闭环管理方式', en: 'Closed-loop mode' },
    values: {
      bubble: { zh: '气泡式闭环', en: 'bubble' },
      two_points_one_line: { zh: '两点一线', en: 'two points, one line' },
      none: { zh: '不具备闭环条件', en: 'none' },
    },
    source: 'answer',
  },
  dormitoryBeds: {
    type: 'number',
    label: { zh: '宿舍床位数', en: 'Dormitory beds' },
    unit: { zh: '张', en: 'beds' },
    source: 'answer',
  },
  dormitoryBedRatio: {
    type: 'number',
    label: { zh: '宿舍床位与员工人数之比', en: 'Beds per employee' },
    source: 'derived',
  },
  canteen: { type: 'boolean', label: { zh: '内部食堂', en: 'Own canteen' }, source: 'answer' },
  taskForce: {
    type: 'boolean',
    label: { zh: '已设立疫情防控专班', en: 'Epidemic task force set up' },
    source: 'answer',
  },
  taskForceLeader: {
    type: 'string',
    label: { zh: '专班负责人(班子成员)', en: 'Task-force leader (board member)' },
    source: 'answer',
  },
  stockpileDays: {
    type: 'number',
    label: { zh: '防疫物资和生活用品储备天数', en: 'Days of supplies stockpiled' },
    unit: { zh: '天', en: 'days' },
    source: 'answer',
  },
  observationRooms: {
    type: 'number',
    label: { zh: '临时留观点、观察宿舍间数', en: 'Observation rooms' },
    unit: { zh: '间', en: 'rooms' },
    source: 'answer',
  },
  samplingArrangement: {
    type: 'enum',
    label: { zh: '核酸采样安排', en: 'PCR sampling arrangement' },
    values: {
      own_booth: { zh: '自行配置采样屋', en: 'own sampling booth' },
      local_network: { zh: '纳入属地采样网络', en: 'local sampling network' },
      none: { zh: '尚无安排', en: 'none' },
    },
    source: 'answer',
  },
  emergencyPlan: {
    type: 'boolean',
    label: { zh: '已制定应急处置预案', en: 'Emergency plan in place' },
    source: 'answer',
  },
  venueCodesCovered: {
    type: 'boolean',
    label: { zh: '场所码全覆盖', en: 'Venue codes everywhere' },
    source: 'answer',
  },
} as const satisfies Record<string, WhitelistFactDef>;
export type WhitelistFact = keyof typeof WHITELIST_FACTS;

/** The application's answers: every field optional — a missing answer leaves its criteria undetermined. */
export const WhitelistAnswersSchema = z.strictObject({
  closedLoopMode: z.enum(['bubble', 'two_points_one_line', 'none']).optional(),
  dormitoryBeds: z.number().int().min(0).max(1_000_000).optional(),
  canteen: z.boolean().optional(),
  taskForce: z.boolean().optional(),
  taskForceLeader: z.string().trim().min(1).max(50).optional(),
  stockpileDays: z.number().int().min(0).max(3650).optional(),
  observationRooms: z.number().int().min(0).max(100_000).optional(),
  samplingArrangement: z.enum(['own_booth', 'local_network', 'none']).optional(),
  emergencyPlan: z.boolean().optional(),
  venueCodesCovered: z.boolean().optional(),
});
export type WhitelistAnswers = z.infer<typeof WhitelistAnswersSchema>;

export const RULE_OPS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'isTrue',
  'isFalse',
  'exists',
  'missing',
  'dateBetween',
  'daysSinceLte',
  'containsAny',
] as const;
const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);
const ParamRefSchema = z.strictObject({ param: z.string().min(1), part: z.string().min(1).optional() });
const OperandItemSchema = z.union([ScalarSchema, ParamRefSchema]);
export const RuleAtomSchema = z.strictObject({
  id: z.string().min(1).max(64),
  fact: z.string().min(1).max(64),
  op: z.enum(RULE_OPS),
  value: z.union([OperandItemSchema, z.array(OperandItemSchema).max(500)]).optional(),
  onMissing: z.enum(['unknown', 'false', 'true']).optional(),
});

/** A `@sibao/rules` condition tree (`all` / `any` / `not` / atom), checked in full by `validateRule`. */
export type RuleCond =
  | { all: RuleCond[] }
  | { any: RuleCond[] }
  | { not: RuleCond }
  | z.infer<typeof RuleAtomSchema>;
export const RuleCondSchema: z.ZodType<RuleCond> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(RuleCondSchema).min(1).max(500) }),
    z.strictObject({ any: z.array(RuleCondSchema).min(1).max(500) }),
    z.strictObject({ not: RuleCondSchema }),
    RuleAtomSchema,
  ]),
);

const FactsSchema = z.record(z.string(), z.union([ScalarSchema, z.null(), z.array(z.string())]));
export const RuleTestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  asOf: IsoDateSchema,
  facts: FactsSchema,
  expect: z.strictObject({
    status: z.enum(['eligible', 'ineligible', 'undetermined']),
    missing: z.array(z.string()).optional(),
  }),
});

/** A decision table: the first row whose condition holds gives the service tier, else `otherwise`. */
export const TierTableSchema = z.strictObject({
  rows: z
    .array(z.strictObject({ when: RuleCondSchema, output: ServiceTierSchema }))
    .max(20)
    .default([]),
  otherwise: ServiceTierSchema.default('county'),
});
export type TierTable = z.infer<typeof TierTableSchema>;

export const CRITERIA_STATUSES = ['draft', 'published', 'retired'] as const;
export const CriteriaBodySchema = z.strictObject({
  sector: SectorSchema,
  title: z.string().trim().min(2).max(200),
  /** 遴选标准: the rule tree; its top-level children are the criteria explained one by one. */
  rule: RuleCondSchema,
  /** The rule's own tests: all must pass before it can be published. */
  tests: z.array(RuleTestSchema).max(100).default([]),
  tierTable: TierTableSchema.default({ rows: [], otherwise: 'county' }),
  /** 管理办法: the management rules published with the criteria (plain text). */
  managementText: z.string().trim().max(20_000).default(''),
});
export type CriteriaBody = z.infer<typeof CriteriaBodySchema>;
export const UpdateCriteriaBodySchema = CriteriaBodySchema.omit({ sector: true });

export const CriteriaSchema = z.object({
  id: z.string(),
  sector: SectorSchema,
  version: z.number().int(),
  status: z.enum(CRITERIA_STATUSES),
  title: z.string(),
  rule: RuleCondSchema,
  tests: z.array(RuleTestSchema),
  tierTable: TierTableSchema,
  managementText: z.string(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Criteria = z.infer<typeof CriteriaSchema>;
export const CriteriaListSchema = z.object({ items: z.array(CriteriaSchema) });

/** The facts a form may offer, with labels (what `WHITELIST_FACTS` says), for building rules and answers. */
export const FactCatalogueSchema = z.record(
  z.string(),
  z.object({
    type: z.string(),
    label: LabelSchema,
    unit: LabelSchema.optional(),
    values: z.record(z.string(), LabelSchema).optional(),
    source: z.enum(['enterprise', 'answer', 'derived']),
  }),
);

/** `GET /public/whitelist/criteria?sector=`: the published version, public (方案 二(二) 向社会公布). */
export const PublicCriteriaSchema = z.object({
  sector: SectorSchema,
  sectorLabel: LabelSchema,
  criteria: z
    .object({
      id: z.string(),
      version: z.number().int(),
      title: z.string(),
      publishedAt: z.string(),
      managementText: z.string(),
      rule: RuleCondSchema,
      /** Each top-level criterion in Chinese, as an applicant reads it. */
      lines: z.array(z.string()),
      tierTable: TierTableSchema,
    })
    .nullable(),
  facts: FactCatalogueSchema,
});

export const PublishProblemSchema = z.object({
  issues: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
  failedTests: z.array(z.object({ name: z.string(), failures: z.array(z.string()) })),
});

// ---------------------------------------------------------------------------------------------------------
// Applications

/**
 * Attachment metadata a client may declare at submission (name, type, size, hash). The files themselves are
 * uploaded to `POST /whitelist/applications/{id}/attachments` and listed in the application's `files`.
 */
export const AttachmentMetaSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  contentType: z.string().trim().min(1).max(100),
  bytes: z
    .number()
    .int()
    .min(0)
    .max(50 * 1024 * 1024),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

export const SubmitApplicationBodySchema = z.strictObject({
  /** Officials submitting on an enterprise's behalf name it; an enterprise user's own is implied. */
  enterpriseId: z.uuid().optional(),
  sector: SectorSchema,
  answers: WhitelistAnswersSchema,
  attachments: z.array(AttachmentMetaSchema).max(20).default([]),
});
export const ResubmitApplicationBodySchema = z.strictObject({
  answers: WhitelistAnswersSchema,
  attachments: z.array(AttachmentMetaSchema).max(20).default([]),
});

/** What an application's material may be, recognised from its first bytes (never from the client's claim). */
export const ATTACHMENT_MEDIA_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
export const AttachmentMediaTypeSchema = z.enum(ATTACHMENT_MEDIA_TYPES);
/** Largest material accepted, in bytes (10 MiB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Most materials one application may hold. */
export const MAX_ATTACHMENTS_PER_APPLICATION = 20;

/** One stored material of an application (承诺书, 闭环方案 …): its content is downloaded separately. */
export const ApplicationFileSchema = z.object({
  id: z.string(),
  filename: z.string(),
  mediaType: AttachmentMediaTypeSchema,
  bytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: z.string(),
});
export type ApplicationFile = z.infer<typeof ApplicationFileSchema>;

export const CRITERION_OUTCOMES = ['met', 'not_met', 'unknown'] as const;
/** 达标即入: the result of the criteria at submission, per criterion, in Chinese. */
export const CriteriaResultSchema = z.object({
  status: z.enum(['eligible', 'ineligible', 'undetermined']),
  /** The criteria version evaluated. */
  criteriaId: z.string(),
  criteriaVersion: z.number().int(),
  asOf: z.string(),
  /** Facts whose absence keeps the answer open, with their Chinese labels. */
  missing: z.array(z.object({ fact: z.string(), label: z.string() })),
  criteria: z.array(z.object({ id: z.string(), outcome: z.enum(CRITERION_OUTCOMES), reason: z.string() })),
  /** The whole explanation (`explain` of `@sibao/rules`), one line per criterion. */
  explanation: z.string(),
  /** The tier the decision table assigns, or null while undetermined. */
  suggestedTier: ServiceTierSchema.nullable(),
});
export type CriteriaResult = z.infer<typeof CriteriaResultSchema>;

export const APPLICATION_STATUSES = ['submitted', 'returned', 'approved', 'rejected'] as const;
export const ApplicationStatusSchema = z.enum(APPLICATION_STATUSES);
export const ApplicationSchema = z.object({
  id: z.string(),
  enterprise: z.object({
    id: z.string(),
    name: z.string(),
    uscc: z.string(),
    regionCode: z.string(),
    annualValueFen: z.number().int(),
    cityOperations: z.boolean(),
  }),
  sector: SectorSchema,
  status: ApplicationStatusSchema,
  answers: WhitelistAnswersSchema,
  /** Metadata the client declared at submission (legacy; the stored files are `files`). */
  attachments: z.array(AttachmentMetaSchema),
  /** The stored materials, oldest first. */
  files: z.array(ApplicationFileSchema),
  /** Whether the actor may add or delete materials now (the enterprise, while the application is open). */
  filesEditable: z.boolean(),
  result: CriteriaResultSchema,
  /** The tier whose sector department reviews it. */
  reviewTier: ServiceTierSchema,
  /** City operations (方案 二(一)) or linked to a listed enterprise (链式保障): sorted first. */
  priority: z.object({ cityOperations: z.boolean(), linkedToListed: z.boolean() }),
  submittedAt: z.string(),
  /** Review deadline (`whitelist.reviewDays` after submission; the clock stops while returned). */
  dueAt: z.string(),
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  entryId: z.string().nullable(),
  /** What the actor may do with it now. */
  actions: z.array(z.enum(['approve', 'reject', 'return', 'resubmit'])),
});
export type Application = z.infer<typeof ApplicationSchema>;
export const ApplicationListSchema = Page(ApplicationSchema);
export const ApplicationListQuerySchema = z.strictObject({
  status: ApplicationStatusSchema.optional(),
  sector: SectorSchema.optional(),
  region: RegionCodeSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const ReviewBodySchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject', 'return']),
    reason: z.string().trim().min(2).max(1000).optional(),
    /** On approval: the tier that serves the entry (default: the decision table's, else the review tier). */
    serviceTier: ServiceTierSchema.optional(),
  })
  .refine((b) => b.decision === 'approve' || !!b.reason, {
    message: 'REASON_REQUIRED',
    path: ['reason'],
  });
export type ReviewBody = z.infer<typeof ReviewBodySchema>;

/** Most applications one batch review decides. */
export const MAX_REVIEW_BATCH = 200;
/**
 * One decision over many applications, all or nothing: if any id is not reviewable by the caller, nothing
 * is decided and the problem's `errors` name each failing id (`path: ids.<index>`, `message`: the id).
 */
export const ReviewBatchBodySchema = z
  .strictObject({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_REVIEW_BATCH)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'DUPLICATE_ID' }),
    decision: z.enum(['approve', 'reject', 'return']),
    reason: z.string().trim().min(2).max(1000).optional(),
    serviceTier: ServiceTierSchema.optional(),
  })
  .refine((b) => b.decision === 'approve' || !!b.reason, {
    message: 'REASON_REQUIRED',
    path: ['reason'],
  });
export type ReviewBatchBody = z.infer<typeof ReviewBatchBodySchema>;
export const ReviewBatchResultSchema = z.object({
  decision: z.enum(['approve', 'reject', 'return']),
  items: z.array(
    z.object({
      id: z.string(),
      status: ApplicationStatusSchema,
      entryId: z.string().nullable(),
    }),
  ),
});
export type ReviewBatchResult = z.infer<typeof ReviewBatchResultSchema>;

// ---------------------------------------------------------------------------------------------------------
// Entries

export const ENTRY_STATUSES = ['active', 'suspended', 'removed'] as const;
export const EntryStatusSchema = z.enum(ENTRY_STATUSES);
export const EntryEventSchema = z.object({
  id: z.string(),
  action: z.enum(['admitted', 'suspended', 'reinstated', 'removed', 'tier_changed']),
  fromStatus: EntryStatusSchema.nullable(),
  toStatus: EntryStatusSchema,
  reason: z.string().nullable(),
  kind: z.enum(['circuit_breaker']).nullable(),
  evidence: z.array(z.string()).nullable(),
  /** Tier changes: the service tier before and after. */
  fromTier: ServiceTierSchema.nullable(),
  toTier: ServiceTierSchema.nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export const EntrySchema = z.object({
  id: z.string(),
  enterprise: z.object({ id: z.string(), name: z.string(), uscc: z.string(), regionCode: z.string() }),
  sector: SectorSchema,
  status: EntryStatusSchema,
  serviceTier: ServiceTierSchema,
  since: z.string(),
  /** Why it is listed (the admission) or why it changed last. */
  reason: z.string().nullable(),
  removalKind: z.enum(['circuit_breaker']).nullable(),
  removedAt: z.string().nullable(),
  liaison: LiaisonSchema.nullable(),
  batch: z.object({ id: z.string(), number: z.number().int(), label: z.string() }).nullable(),
  actions: z.array(z.enum(['suspend', 'reinstate', 'remove', 'spot_check', 'change_tier'])),
});

/** 分级保障 changed: the new tier and why (the sector department at the entry's tier or above). */
export const ChangeTierBodySchema = z.strictObject({
  serviceTier: ServiceTierSchema,
  reason: z.string().trim().min(2).max(1000),
});
export type ChangeTierBody = z.infer<typeof ChangeTierBodySchema>;
export const EntryDetailSchema = EntrySchema.extend({ history: z.array(EntryEventSchema) });
export const EntryListSchema = Page(EntrySchema);
export const EntryListQuerySchema = z.strictObject({
  status: EntryStatusSchema.optional(),
  sector: SectorSchema.optional(),
  region: RegionCodeSchema.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional(),
});

/** Suspend, reinstate, remove: a reason always; 熔断 (`kind: circuit_breaker`) needs evidence. */
export const EntryActionBodySchema = z
  .strictObject({
    reason: z.string().trim().min(2).max(1000),
    kind: z.enum(['circuit_breaker']).optional(),
    /** Descriptions of the evidence (流调报告 …), at least one for 熔断. */
    evidence: z.array(z.string().trim().min(2).max(500)).max(20).optional(),
  })
  .refine((b) => b.kind !== 'circuit_breaker' || (b.evidence?.length ?? 0) > 0, {
    message: 'EVIDENCE_REQUIRED',
    path: ['evidence'],
  });

// ---------------------------------------------------------------------------------------------------------
// Spot checks (方案 四(三))

export const SpotCheckBodySchema = z
  .strictObject({
    checkedOn: IsoDateSchema,
    items: z
      .array(
        z.strictObject({
          item: z.string().trim().min(1).max(200),
          ok: z.boolean(),
          note: z.string().trim().max(500).optional(),
        }),
      )
      .min(1)
      .max(50),
    findings: z.string().trim().max(5000).default(''),
    result: z.enum(['passed', 'failed']),
    rectificationDue: IsoDateSchema.optional(),
    /** A failed check may suspend the entry at once (same transaction). */
    suspend: z.boolean().default(false),
  })
  .refine((b) => b.result === 'failed' || !b.suspend, {
    message: 'SUSPEND_ONLY_IF_FAILED',
    path: ['suspend'],
  })
  .refine((b) => b.result === 'passed' || !!b.rectificationDue, {
    message: 'RECTIFICATION_DUE_REQUIRED',
    path: ['rectificationDue'],
  });
export const SpotCheckSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  enterprise: z.object({ id: z.string(), name: z.string(), regionCode: z.string() }),
  sector: SectorSchema,
  checkedOn: z.string(),
  items: z.array(z.object({ item: z.string(), ok: z.boolean(), note: z.string().optional() })),
  findings: z.string(),
  result: z.enum(['passed', 'failed']),
  rectificationDue: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export const SpotCheckListSchema = z.object({ items: z.array(SpotCheckSchema) });
export const SpotCheckListQuerySchema = z.strictObject({
  sector: SectorSchema.optional(),
  region: RegionCodeSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  entryId: z.uuid().optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Batches and the public list

export const PublishBatchBodySchema = z.strictObject({
  sector: SectorSchema,
  title: z.string().trim().min(2).max(200).optional(),
});
export const BatchSchema = z.object({
  id: z.string(),
  sector: SectorSchema,
  regionCode: z.string(),
  number: z.number().int(),
  /** `郑州市工业生产第2批`. */
  label: z.string(),
  title: z.string().nullable(),
  entryCount: z.number().int(),
  publishedAt: z.string(),
});
export const BatchListSchema = z.object({ items: z.array(BatchSchema) });

export const PublicListQuerySchema = z.strictObject({
  sector: SectorSchema.optional(),
  region: RegionCodeSchema.optional(),
  batch: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const PublicEntrySchema = z.object({
  name: z.string(),
  uscc: z.string(),
  kind: EnterpriseKindSchema,
  sector: SectorSchema,
  regionCode: z.string(),
  regionName: z.string(),
  serviceTier: ServiceTierSchema,
  batch: z.object({ id: z.string(), label: z.string(), publishedAt: z.string() }),
  /** `removed` entries stay on the list with the date they left it (熔断 shows as removed). */
  status: z.enum(['listed', 'removed']),
  removedOn: z.string().nullable(),
});
/** The public list, print-friendly: a title and the time it was generated come with the rows. */
export const PublicListSchema = z.object({
  title: z.string(),
  generatedAt: z.string(),
  total: z.number().int(),
  items: z.array(PublicEntrySchema),
});
export const PublicBatchListSchema = z.object({
  items: z.array(BatchSchema.omit({ title: true }).extend({ title: z.string().nullable() })),
});
/** The province's cities and their counties, for the public list's region filter (no sign-in). */
export const PublicRegionTreeSchema = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      children: z.array(z.object({ code: z.string(), name: z.string() })),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------------
// Coverage (方案 二(一), 九(三))

export const CoverageQuerySchema = z.strictObject({
  sector: SectorSchema,
  region: RegionCodeSchema.default('410000'),
  date: IsoDateSchema.optional(),
});
export const CoverageSchema = z.object({
  sector: SectorSchema,
  region: z.string(),
  date: z.string(),
  /** `ok`, or `no_statistics` when the region has no official total for the sector: ratio is then null. */
  status: z.enum(['ok', 'no_statistics']),
  /** Fen: the output value (investment) of enterprises with an entry in the sector, listed on `date`. */
  whitelistedValue: z.number().int(),
  totalValue: z.number().int().nullable(),
  ratio: z.number().nullable(),
  target: z.number(),
  deadline: z.string(),
  /** The ratio exceeds the target (方案: 超过70%). Null without statistics. */
  meetsTarget: z.boolean().nullable(),
  period: z.string().nullable(),
  source: z.string().nullable(),
  entries: z.number().int(),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export const CoverageBreakdownQuerySchema = z.strictObject({
  region: RegionCodeSchema.default('410000'),
  date: IsoDateSchema.optional(),
  sector: SectorSchema.optional(),
});
/** Bar by sector (for the region) and a table of the child regions (for the sector, or all sectors). */
export const CoverageBreakdownSchema = z.object({
  region: z.string(),
  date: z.string(),
  target: z.number(),
  deadline: z.string(),
  bySector: z.array(CoverageSchema),
  byRegion: z.array(CoverageSchema.extend({ regionName: z.string() })),
});
export const CoverageTrendQuerySchema = z.strictObject({
  sector: SectorSchema,
  region: RegionCodeSchema.default('410000'),
  from: IsoDateSchema,
  to: IsoDateSchema,
  step: z.enum(['day', 'week', 'month']).default('week'),
});
export const CoverageTrendSchema = z.object({
  sector: SectorSchema,
  region: z.string(),
  target: z.number(),
  deadline: z.string(),
  points: z.array(
    z.object({
      date: z.string(),
      ratio: z.number().nullable(),
      whitelistedValue: z.number().int(),
      totalValue: z.number().int().nullable(),
    }),
  ),
});
export const PlannerQuerySchema = z.strictObject({
  sector: SectorSchema,
  region: RegionCodeSchema.default('410000'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
/** Pending applications by how much each would add to coverage. */
export const PlannerSchema = z.object({
  coverage: CoverageSchema,
  items: z.array(
    z.object({
      applicationId: z.string(),
      enterpriseId: z.string(),
      name: z.string(),
      regionCode: z.string(),
      status: ApplicationStatusSchema,
      criteriaStatus: z.enum(['eligible', 'ineligible', 'undetermined']),
      valueFen: z.number().int(),
      /** Ratio points this one would add (null without statistics). */
      addsRatio: z.number().nullable(),
      cumulativeRatio: z.number().nullable(),
    }),
  ),
});

export const SectorTotalSchema = z.object({
  regionCode: z.string(),
  sector: SectorSchema,
  period: z.string(),
  totalFen: z.number().int(),
  source: z.string(),
  importedAt: z.string(),
});
export const SectorTotalListSchema = z.object({ items: z.array(SectorTotalSchema) });
export const StatisticsImportResultSchema = z.object({ imported: z.number().int(), sha256: z.string() });
