/**
 * What each role does in Sibao, for the home page (DESIGN.md §1). Role and tier names come from the
 * contracts' ROLE_LABELS / TIER_LABELS; this adds a one-line summary and the duties, in both languages.
 */
import type { Role } from '@sibao/contracts';
import type { Label } from './messages';

export interface RoleDuty {
  title: Label;
  detail: Label;
}

export interface RoleProfile {
  summary: Label;
  duties: RoleDuty[];
}

const duty = (zhTitle: string, enTitle: string, zhDetail: string, enDetail: string): RoleDuty => ({
  title: { zh: zhTitle, en: enTitle },
  detail: { zh: zhDetail, en: enDetail },
});

export const ROLE_PROFILES: Record<Role, RoleProfile> = {
  command_office: {
    summary: {
      zh: '统筹调度本级“四保”工作：一屏掌控运行状态，分办诉求，审批停产与检查事项。',
      en: 'Runs the “four guarantees” at this tier: the dashboard, triage of requests, approvals.',
    },
    duties: [
      duty(
        '运行监测',
        'Monitoring',
        '查看白名单企业运行状态与涉疫风险',
        'Follow whitelisted enterprises and risks',
      ),
      duty(
        '诉求分办',
        'Triage',
        '受理、交办、督办企业诉求，处理上报事项',
        'Accept, assign and chase requests; escalations',
      ),
      duty('共性问题', 'Common problems', '对共性问题批量研究解决', 'Solve recurring problems as one policy'),
      duty(
        '审批事项',
        'Approvals',
        '省级审批停产停工，市级审批检查事项',
        'Shutdowns (province) and inspections (city)',
      ),
    ],
  },
  sector_department: {
    summary: {
      zh: '负责本行业白名单：制定遴选标准、审核申报、抽查复核、发布政策。',
      en: 'Keeps the sector’s whitelist: criteria, reviews, spot checks and policies.',
    },
    duties: [
      duty('遴选标准', 'Criteria', '发布本行业白名单遴选条件', 'Publish the selection criteria'),
      duty('申报审核', 'Reviews', '审核企业申报，分批公布名单', 'Review applications and publish batches'),
      duty(
        '抽查熔断',
        'Spot checks',
        '抽查在库企业，必要时熔断移出',
        'Spot-check entries; remove when needed',
      ),
      duty('政策推送', 'Policies', '发布惠企政策并跟踪兑现', 'Publish policies and follow their benefits'),
    ],
  },
  local_government: {
    summary: {
      zh: '属地服务本辖区企业：包保干部对接，签收办理诉求，宣布和解除应急状态。',
      en: 'Serves the enterprises of its area: liaison cadres, tickets, local emergencies.',
    },
    duties: [
      duty('包保服务', 'Liaison', '包保干部一对一服务企业', 'Liaison cadres serve each enterprise'),
      duty('诉求办理', 'Tickets', '签收、办理、反馈交办的诉求', 'Sign for, handle and answer tickets'),
      duty(
        '应急转换',
        'Emergencies',
        '辖区平急转换，申请停产或检查',
        'Switch the county to emergency; requests',
      ),
      duty('风险处置', 'Alerts', '跟进电子哨点预警', 'Follow up sentinel alerts'),
    ],
  },
  epidemic_office: {
    summary: {
      zh: '负责企业防疫：预警处置、入豫报备、赋码规则与涉疫事件。',
      en: 'Epidemic prevention for enterprises: alerts, arrivals, code rules and incidents.',
    },
    duties: [
      duty('电子哨点', 'Sentinels', '处置检测超期、未报备等预警', 'Handle overdue tests and other alerts'),
      duty('入豫报备', 'Arrivals', '核查入豫人员报备与检测', 'Check arrivals and their tests'),
      duty('差异化赋码', 'Code rules', '维护赋码与检测频次规则', 'Keep code and test-cadence rules'),
      duty('涉疫事件', 'Incidents', '跟踪企业涉疫事件处置', 'Follow incidents at enterprises'),
    ],
  },
  logistics: {
    summary: {
      zh: '保障物流畅通：审批重点物资运输车辆通行证，管理中转接驳站点。',
      en: 'Keeps logistics moving: vehicle passes and transfer stations.',
    },
    duties: [
      duty('通行证审批', 'Passes', '审批企业车辆通行证', 'Approve enterprises’ vehicle passes'),
      duty(
        '中转接驳',
        'Transfer stations',
        '管理中转站、接驳点、分拨场地',
        'Keep transfer and drop-off sites',
      ),
    ],
  },
  checkpoint: {
    summary: {
      zh: '在检查站用手机扫码核验车辆通行证。',
      en: 'Verifies vehicle passes at a checkpoint by scanning their QR codes.',
    },
    duties: [
      duty('扫码核验', 'Pass checks', '扫描通行证二维码并记录核验结果', 'Scan a pass and record the check'),
    ],
  },
  enterprise: {
    summary: {
      zh: '企业(项目)自主填报：申报白名单，管理员工“两码一证”，每日报告，提出诉求。',
      en: 'The enterprise’s own desk: whitelist application, staff codes, daily reports, requests.',
    },
    duties: [
      duty('白名单申报', 'Whitelist', '申报纳入白名单并跟踪审核', 'Apply for the whitelist and follow it'),
      duty('员工管理', 'Staff', '维护员工名册与“两码一证”', 'Keep the roster and staff health codes'),
      duty('每日报告', 'Daily report', '每日零报告或情况报告', 'File the daily (zero) report'),
      duty(
        '诉求与政策',
        'Requests & policies',
        '提出诉求，申领匹配的惠企政策',
        'Raise requests; claim matched policies',
      ),
      duty('车辆通行', 'Vehicle passes', '申请重点物资运输车辆通行证', 'Apply for vehicle passes'),
    ],
  },
  lab: {
    summary: {
      zh: '核酸检测机构通过接口推送检测结果。',
      en: 'A testing lab pushes PCR results through the API.',
    },
    duties: [duty('结果推送', 'Results', '批量推送核酸检测结果', 'Push test results in bulk')],
  },
  admin: {
    summary: {
      zh: '管理平台账户、机构、接口令牌与参数。',
      en: 'Manages accounts, organisations, API tokens and parameters.',
    },
    duties: [
      duty('账户管理', 'Accounts', '创建、停用账户，解锁登录', 'Create, disable and unlock accounts'),
      duty(
        '接口令牌',
        'API tokens',
        '为检测机构等机器客户端签发令牌',
        'Issue tokens to labs and other clients',
      ),
      duty('参数维护', 'Parameters', '按生效日期维护政策参数', 'Keep the effective-dated parameters'),
    ],
  },
  auditor: {
    summary: {
      zh: '查阅操作审计记录，校验审计链完整性。',
      en: 'Reads the audit trail and verifies that it is intact.',
    },
    duties: [
      duty(
        '审计查询',
        'Audit trail',
        '按人员、对象、时间查询操作记录',
        'Search actions by actor, object, time',
      ),
      duty('完整性校验', 'Verification', '校验审计哈希链未被篡改', 'Check the hash chain for tampering'),
    ],
  },
};
