/**
 * One whitelist entry: the enterprise facts, sector, tier, liaison (phone masked by the server), since when
 * and why, the batch, the full history (tier changes with the tiers before and after), its spot checks — and
 * the actions the server says the official may take (suspend / reinstate / remove or 熔断, change the service
 * tier, record a spot check), each behind a confirmation dialog.
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Flex, Grid, Spin, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type EntryAction, whitelistManageApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { useI18n } from '../../i18n';
import { EntryStatusTag, sectorLabel, tierLabel, useRegionNames, wlKeys } from './common';
import { EntryActionDialog } from './EntryActionDialog';
import { SpotCheckDialog } from './SpotCheckDialog';
import { SpotCheckTable } from './SpotChecksPage';
import { TierDialog } from './TierDialog';

const EVENT_COLORS = {
  admitted: 'green',
  reinstated: 'green',
  suspended: 'orange',
  removed: 'red',
  tier_changed: 'blue',
} as const;

export default function EntryPage() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const isPhone = Grid.useBreakpoint().md === false;
  const { names } = useRegionNames();
  const [action, setAction] = useState<EntryAction | null>(null);
  const [checking, setChecking] = useState(false);
  const [changingTier, setChangingTier] = useState(false);
  const detail = useQuery({ queryKey: wlKeys.entry(id), queryFn: () => whitelistManageApi.entry(id) });
  const checks = useQuery({
    queryKey: wlKeys.checks({ entryId: id }),
    queryFn: () => whitelistManageApi.spotChecks({ entryId: id }),
  });

  if (detail.isPending) return <Spin />;
  if (detail.isError) return <QueryErrorResult error={detail.error} onRetry={() => void detail.refetch()} />;
  const entry = detail.data;
  const breaker = entry.removalKind === 'circuit_breaker';
  const regionCode = entry.enterprise.regionCode;
  const city = `${regionCode.slice(0, 4)}00`;
  const region = [names.get(city), names.get(regionCode)].filter(Boolean).join('') || regionCode;

  const actions = (
    <Flex gap={8} wrap="wrap" data-testid="entry-actions">
      {entry.actions.includes('spot_check') ? (
        <Button onClick={() => setChecking(true)}>{t('wl.checks.record')}</Button>
      ) : null}
      {entry.actions.includes('change_tier') ? (
        <Button onClick={() => setChangingTier(true)}>{t('wl.entries.action.changeTier')}</Button>
      ) : null}
      {entry.actions.includes('reinstate') ? (
        <Button type="primary" onClick={() => setAction('reinstate')}>
          {t('wl.entries.action.reinstate')}
        </Button>
      ) : null}
      {entry.actions.includes('suspend') ? (
        <Button danger onClick={() => setAction('suspend')}>
          {t('wl.entries.action.suspend')}
        </Button>
      ) : null}
      {entry.actions.includes('remove') ? (
        <Button danger type="primary" onClick={() => setAction('remove')}>
          {t('wl.entries.action.remove')}
        </Button>
      ) : null}
    </Flex>
  );

  return (
    <Flex vertical gap={16}>
      <Link to="/whitelist/entries">
        <ArrowLeftOutlined /> {t('wl.entries.back')}
      </Link>
      <Flex justify="space-between" align="flex-start" gap={12} wrap="wrap">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {entry.enterprise.name}
          </Typography.Title>
          <Flex gap={8} align="center" style={{ marginTop: 8 }} wrap="wrap">
            <EntryStatusTag status={entry.status} breaker={breaker} />
            <Tag>{sectorLabel(entry.sector, i18n)}</Tag>
            <Tag>{t('wl.entries.tierServed', { tier: tierLabel(entry.serviceTier, i18n) })}</Tag>
          </Flex>
        </div>
        {actions}
      </Flex>
      <Card title={t('wl.entries.facts')} size="small">
        <Descriptions
          column={isPhone ? 1 : 2}
          size="small"
          layout={isPhone ? 'vertical' : 'horizontal'}
          items={[
            {
              key: 'uscc',
              label: t('wl.entries.uscc'),
              children: <span className="mono">{entry.enterprise.uscc}</span>,
            },
            { key: 'region', label: t('wl.entries.region'), children: region },
            { key: 'since', label: t('wl.entries.since'), children: dateTime(entry.since) },
            {
              key: 'batch',
              label: t('wl.entries.batch'),
              children: entry.batch?.label ?? t('wl.entries.noBatch'),
            },
            {
              key: 'reason',
              label: entry.status === 'active' ? t('wl.entries.why') : t('wl.entries.whyChanged'),
              children: entry.reason ?? '—',
              span: isPhone ? 1 : 2,
            },
            ...(entry.removedAt
              ? [{ key: 'removedAt', label: t('wl.entries.removedAt'), children: dateTime(entry.removedAt) }]
              : []),
            {
              key: 'liaison',
              label: t('wl.entries.liaison'),
              span: isPhone ? 1 : 2,
              children: entry.liaison ? (
                <span data-testid="entry-liaison">
                  {entry.liaison.name} · <span className="mono">{entry.liaison.phoneMasked}</span>
                  {entry.liaison.orgUnitName ? ` · ${entry.liaison.orgUnitName}` : ''}
                </span>
              ) : (
                <Typography.Text type="secondary">{t('wl.entries.noLiaison')}</Typography.Text>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('wl.entries.history')} size="small" data-testid="entry-history">
        <Timeline
          items={[...entry.history].reverse().map((event) => ({
            key: event.id,
            color: event.kind === 'circuit_breaker' ? 'red' : EVENT_COLORS[event.action],
            title: dateTime(event.at),
            content: (
              <Flex vertical gap={2}>
                <Typography.Text strong>
                  {event.kind === 'circuit_breaker'
                    ? t('wl.entries.event.circuitBreaker')
                    : t(`wl.entries.event.${event.action}`)}
                  {event.actorName ? (
                    <Typography.Text type="secondary"> · {event.actorName}</Typography.Text>
                  ) : null}
                </Typography.Text>
                {event.fromTier && event.toTier ? (
                  <Typography.Text data-testid="tier-change">
                    {t('wl.entries.tierChange', {
                      from: tierLabel(event.fromTier, i18n),
                      to: tierLabel(event.toTier, i18n),
                    })}
                  </Typography.Text>
                ) : null}
                {event.reason ? <Typography.Text>{event.reason}</Typography.Text> : null}
                {event.evidence?.length ? (
                  <Typography.Text type="secondary">
                    {t('wl.entries.evidence')}：{event.evidence.join('；')}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          }))}
        />
      </Card>
      <Card title={t('wl.checks.ofEntry')} size="small">
        {checks.isError ? (
          <QueryErrorResult error={checks.error} onRetry={() => void checks.refetch()} />
        ) : checks.data && checks.data.items.length === 0 ? (
          <Empty description={t('wl.checks.none')} />
        ) : (
          <SpotCheckTable rows={checks.data?.items ?? []} loading={checks.isPending} compact />
        )}
      </Card>
      <EntryActionDialog
        entryId={entry.id}
        enterpriseName={entry.enterprise.name}
        action={action}
        onClose={() => setAction(null)}
      />
      <TierDialog
        entryId={entry.id}
        enterpriseName={entry.enterprise.name}
        current={entry.serviceTier}
        open={changingTier}
        onClose={() => setChangingTier(false)}
      />
      <SpotCheckDialog
        entryId={entry.id}
        enterpriseName={entry.enterprise.name}
        canSuspend={entry.actions.includes('suspend')}
        open={checking}
        onClose={() => setChecking(false)}
      />
    </Flex>
  );
}
