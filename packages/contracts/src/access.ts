/**
 * Roles, tiers, sectors and permissions: the vocabulary of access shared by server and web.
 * Permission names are `<module>.<action>` (STYLE.md). A role's permissions may depend on its tier.
 */

export const ROLES = [
  'admin',
  'auditor',
  'command_office',
  'sector_department',
  'local_government',
  'epidemic_office',
  'logistics',
  'checkpoint',
  'enterprise',
  'lab',
] as const;
export type Role = (typeof ROLES)[number];

export const TIERS = ['province', 'city', 'county', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** Kinds of org unit: who a user or an API token works for. */
export const ORG_UNIT_KINDS = [
  'platform',
  'command_office',
  'sector_department',
  'local_government',
  'epidemic_office',
  'logistics_group',
  'checkpoint',
  'enterprise',
  'lab',
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** 行业(领域): the whitelist is kept per sector (DESIGN.md §2). */
export const SECTORS = [
  'industry',
  'commerce',
  'transport',
  'culture_tourism',
  'key_project',
  'city_operations',
] as const;
export type Sector = (typeof SECTORS)[number];

export const SECTOR_LABELS: Record<Sector, { zh: string; en: string }> = {
  industry: { zh: '工业生产', en: 'Industry' },
  commerce: { zh: '商贸流通', en: 'Commerce' },
  transport: { zh: '交通运输', en: 'Transport' },
  culture_tourism: { zh: '文化旅游', en: 'Culture & tourism' },
  key_project: { zh: '重点项目', en: 'Key projects' },
  city_operations: { zh: '城市运行保障', en: 'City operations' },
};

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  auditor: { zh: '审计员', en: 'Auditor' },
  command_office: { zh: '指挥部办公室', en: 'Command office' },
  sector_department: { zh: '行业主管部门', en: 'Sector department' },
  local_government: { zh: '属地政府', en: 'Local government' },
  epidemic_office: { zh: '防疫部门', en: 'Epidemic-prevention office' },
  logistics: { zh: '物流保通保畅专班', en: 'Logistics group' },
  checkpoint: { zh: '交通防疫检查站', en: 'Checkpoint' },
  enterprise: { zh: '企业(项目)', en: 'Enterprise' },
  lab: { zh: '核酸检测机构', en: 'Testing lab' },
};

export const TIER_LABELS: Record<Tier, { zh: string; en: string }> = {
  province: { zh: '省级', en: 'Province' },
  city: { zh: '市级', en: 'City' },
  county: { zh: '县级', en: 'County' },
  enterprise: { zh: '企业', en: 'Enterprise' },
};

/** Every permission the platform knows. Routes declare one of these (or `public` / `authenticated`). */
export const PERMISSIONS = [
  'regions.read',
  'parameters.read',
  'parameters.manage',
  'iam.read_users',
  'iam.manage_users',
  'iam.manage_tokens',
  'audit.read',
  'audit.verify',
  'jobs.read',
  'pii.reveal',
  'enterprises.read',
  'enterprises.manage',
  'enterprises.import',
  'whitelist.apply',
  'whitelist.review',
  'whitelist.publish',
  'whitelist.read',
  /** Coverage, the planner and the statistics: officials' views across enterprises, never an enterprise's. */
  'whitelist.oversee',
  'whitelist.manage_statistics',
  'tickets.submit',
  'tickets.handle',
  'tickets.assign',
  'policies.read',
  'policies.manage',
  'workforce.manage_roster',
  'workforce.read',
  'workforce.ingest_tests',
  'workforce.report_daily',
  /** The risk-area table (中高风险地区) that arrival decisions read: the epidemic-prevention office keeps it. */
  'workforce.manage_risk_areas',
  /** The pharmacy feed of 四类药品 purchases (指南 二(五)): a machine client of the epidemic-prevention office. */
  'workforce.ingest_drug_purchases',
  /** The 赋码保护 staff list for the provincial epidemic platform (指南 三(二)): full names and ID numbers. */
  'workforce.provincial_report',
  'alerts.read',
  'alerts.handle',
  'operations.declare_emergency',
  'operations.approve_shutdown',
  'operations.approve_inspection',
  'logistics.apply_pass',
  'logistics.approve_pass',
  'logistics.check_pass',
  'dashboard.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const OFFICIAL_READ: Permission[] = [
  'whitelist.oversee',
  'regions.read',
  'parameters.read',
  'enterprises.read',
  'whitelist.read',
  'policies.read',
  'dashboard.read',
  'jobs.read',
];

/**
 * What each role may do. Tier narrows some: only the province command office approves shutdowns
 * (指南 三(七)), only a city command office approves inspections (方案 六(三)), a county command
 * office declares its county's emergency (方案 一(三)2).
 */
export function permissionsFor(role: Role, tier: Tier): Permission[] {
  switch (role) {
    case 'admin':
      return [
        'regions.read',
        'parameters.read',
        'parameters.manage',
        'iam.read_users',
        'iam.manage_users',
        'iam.manage_tokens',
        'audit.read',
        'jobs.read',
      ];
    case 'auditor':
      return ['regions.read', 'parameters.read', 'audit.read', 'audit.verify', 'iam.read_users'];
    case 'command_office': {
      const p: Permission[] = [
        ...OFFICIAL_READ,
        'enterprises.manage',
        'enterprises.import',
        'whitelist.manage_statistics',
        'tickets.assign',
        'tickets.handle',
        'workforce.read',
        'alerts.read',
        'iam.read_users',
      ];
      if (tier === 'province') p.push('operations.approve_shutdown', 'parameters.manage');
      if (tier === 'city') p.push('operations.approve_inspection');
      if (tier === 'county') p.push('operations.declare_emergency');
      return p;
    }
    case 'sector_department':
      return [
        ...OFFICIAL_READ,
        'enterprises.manage',
        'enterprises.import',
        'whitelist.review',
        'whitelist.publish',
        'tickets.handle',
        'policies.manage',
        'workforce.read',
        'alerts.read',
      ];
    case 'local_government':
      return [
        ...OFFICIAL_READ,
        'enterprises.manage',
        'enterprises.import',
        'tickets.handle',
        'workforce.read',
        'alerts.read',
        'alerts.handle',
      ];
    case 'epidemic_office': {
      const p: Permission[] = [
        ...OFFICIAL_READ,
        'workforce.read',
        'alerts.read',
        'alerts.handle',
        'pii.reveal',
        'workforce.ingest_drug_purchases',
      ];
      // The risk-area table is province-wide and the 赋码保护 list goes to the provincial platform.
      if (tier === 'province') p.push('workforce.manage_risk_areas', 'workforce.provincial_report');
      return p;
    }
    case 'logistics':
      return [
        'regions.read',
        'parameters.read',
        'enterprises.read',
        'logistics.approve_pass',
        'dashboard.read',
        'jobs.read',
      ];
    case 'checkpoint':
      return ['regions.read', 'logistics.check_pass'];
    case 'enterprise':
      return [
        'regions.read',
        'parameters.read',
        'enterprises.read',
        'whitelist.apply',
        'whitelist.read',
        'tickets.submit',
        'policies.read',
        'workforce.manage_roster',
        'workforce.read',
        'workforce.report_daily',
        'alerts.read',
        'logistics.apply_pass',
        'jobs.read',
      ];
    case 'lab':
      return ['workforce.ingest_tests'];
  }
}

/** Officials are everyone who works for the government side; they need a second factor in production. */
export function isOfficialRole(role: Role): boolean {
  return role !== 'enterprise' && role !== 'lab' && role !== 'checkpoint';
}
