/**
 * Pieces the whitelist pages share: the criteria result of an application (达标即入, per criterion
 * met ✓ / not met ✗ / unknown ?), status tags, and labels for tiers and answers read from the fact catalogue.
 */
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import {
  type Application,
  type CriteriaResult,
  type PublicCriteriaSchema,
  type ServiceTier,
  TIER_LABELS,
} from '@sibao/contracts';
import { Alert, Flex, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { I18n } from '../../i18n';
import type { MessageKey } from '../../messages';
import './whitelist.css';

export type FactCatalogue = z.infer<typeof PublicCriteriaSchema>['facts'];
export type PublicCriteria = z.infer<typeof PublicCriteriaSchema>;

export const CRITERIA_STATUS_TYPE = {
  eligible: 'success',
  ineligible: 'error',
  undetermined: 'warning',
} as const;

const APPLICATION_STATUS_COLOR: Record<Application['status'], string> = {
  submitted: 'processing',
  returned: 'warning',
  approved: 'success',
  rejected: 'error',
};

export function tierLabel(tier: ServiceTier, i18n: I18n): string {
  return i18n.pick(TIER_LABELS[tier]);
}

export function ApplicationStatusTag({ status, i18n }: { status: Application['status']; i18n: I18n }) {
  return (
    <Tag color={APPLICATION_STATUS_COLOR[status]} variant="filled">
      {i18n.t(`wl.apply.status.${status}` as MessageKey)}
    </Tag>
  );
}

export function CriteriaStatusTag({ status, i18n }: { status: CriteriaResult['status']; i18n: I18n }) {
  const color = { eligible: 'success', ineligible: 'error', undetermined: 'warning' }[status];
  return (
    <Tag color={color} variant="outlined">
      {i18n.t(`wl.apply.result.${status}` as MessageKey)}
    </Tag>
  );
}

/** The outcome's icon; its name (符合 / 不符合 / 待补充) is read out, the server's reason carries the mark. */
function OutcomeIcon({
  outcome,
  label,
}: {
  outcome: CriteriaResult['criteria'][number]['outcome'];
  label: string;
}) {
  if (outcome === 'met') return <CheckCircleFilled className="wl-met" aria-label={label} />;
  if (outcome === 'not_met') return <CloseCircleFilled className="wl-not-met" aria-label={label} />;
  return <QuestionCircleFilled className="wl-unknown" aria-label={label} />;
}

/** The answer as a reader understands it: the enum's label, 是/否, the number with its unit. */
export function answerText(
  fact: string,
  value: unknown,
  facts: FactCatalogue | undefined,
  i18n: I18n,
): string {
  if (value === undefined || value === null || value === '') return i18n.t('wl.apply.unanswered');
  const def = facts?.[fact];
  if (typeof value === 'boolean') return i18n.t(value ? 'wl.apply.yes' : 'wl.apply.no');
  const label = def?.values?.[String(value)];
  if (label) return i18n.pick(label);
  if (typeof value === 'number' && def?.unit) return `${value} ${i18n.pick(def.unit)}`;
  return String(value);
}

/**
 * The result of the criteria at submission: the overall verdict, what is missing, and one line per
 * criterion with its Chinese reason.
 */
export function CriteriaResultView({
  result,
  i18n,
  reviewTier,
}: {
  result: CriteriaResult;
  i18n: I18n;
  reviewTier?: ServiceTier | undefined;
}) {
  const { t } = i18n;
  return (
    <Flex vertical gap={12} data-testid="criteria-result">
      <Alert
        type={CRITERIA_STATUS_TYPE[result.status]}
        showIcon
        title={t(`wl.apply.result.${result.status}` as MessageKey)}
        description={t(`wl.apply.result.${result.status}.hint` as MessageKey)}
      />
      {result.missing.length > 0 ? (
        <div>
          <Typography.Text strong>{t('wl.apply.result.missing')}</Typography.Text>
          <Flex gap={4} wrap="wrap" style={{ marginTop: 4 }}>
            {result.missing.map((m) => (
              <Tag key={m.fact} color="warning">
                {m.label}
              </Tag>
            ))}
          </Flex>
        </div>
      ) : null}
      <ol className="wl-criteria-list">
        {result.criteria.map((c) => (
          <li key={c.id} className={`wl-outcome-${c.outcome}`}>
            <OutcomeIcon outcome={c.outcome} label={t(`wl.apply.outcome.${c.outcome}` as MessageKey)} />
            <span>{c.reason}</span>
          </li>
        ))}
      </ol>
      <Typography.Text type="secondary" className="small">
        {t('wl.apply.result.version', { version: result.criteriaVersion })}
        {result.suggestedTier
          ? ` · ${t('wl.apply.result.tier', { tier: tierLabel(result.suggestedTier, i18n) })}`
          : ''}
        {reviewTier ? ` · ${t('wl.apply.result.reviewTier', { tier: tierLabel(reviewTier, i18n) })}` : ''}
      </Typography.Text>
    </Flex>
  );
}
