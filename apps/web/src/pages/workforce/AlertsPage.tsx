/**
 * 电子哨预警: sentinel alerts by kind and state with their deadlines. Those holding `alerts.handle`
 * acknowledge, resolve, or dismiss with a reason (the server decides; users without the permission see no
 * buttons). Officials also see open alerts counted by county.
 */

import type { Alert } from '@sibao/contracts';
import {
  ALERT_KINDS,
  ALERT_STATES,
  type AlertKind,
  type AlertState,
  type AlertTransitionBody,
  canTransitionAlert,
} from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { type AlertFilter, workforceApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { useRegionNames } from '../whitelist-manage/common';
import { AlertKindTag, AlertStateTag, useCursorList, useFilterParams, wfKeys } from './common';
import './workforce.css';

const PAGE = 50;
type StateChoice = 'open' | 'all' | AlertState;

export default function AlertsPage() {
  const { t } = useI18n();
  const me = useMe();
  const isPhone = Grid.useBreakpoint().md === false;
  const official = me.orgUnit.enterpriseId === null;
  const [params, set] = useFilterParams();
  const stateParam = params.get('state') ?? 'open';
  const state: StateChoice = (['all', ...ALERT_STATES] as string[]).includes(stateParam)
    ? (stateParam as StateChoice)
    : 'open';
  const kindParam = params.get('kind');
  const kind = (ALERT_KINDS as readonly string[]).includes(kindParam ?? '')
    ? (kindParam as AlertKind)
    : undefined;
  const enterpriseId = params.get('enterpriseId') ?? undefined;
  const enterpriseName = params.get('enterprise');
  const filter: AlertFilter = {
    enterpriseId,
    kind,
    open: state === 'open' ? 'true' : undefined,
    state: state === 'open' || state === 'all' ? undefined : state,
  };
  const [acting, setActing] = useState<{ alert: Alert; to: 'resolved' | 'dismissed' } | null>(null);

  const { list, rows, total } = useCursorList(wfKeys.alerts(filter), (cursor) =>
    workforceApi.alerts(filter, { limit: PAGE, cursor }),
  );

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.alerts.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wf.alerts.hint')}</Typography.Paragraph>
      <Flex vertical gap={16}>
        {official ? <AlertCounts /> : null}
        <Card>
          <Flex vertical gap={16}>
            <Flex gap={12} wrap="wrap" className="wf-filters">
              <Select<StateChoice>
                aria-label={t('wf.alerts.state')}
                value={state}
                onChange={(value) => set({ state: value === 'open' ? undefined : value })}
                options={[
                  { value: 'open', label: t('wf.alerts.open') },
                  ...ALERT_STATES.map((value) => ({ value, label: t(`wf.alert.state.${value}`) })),
                  { value: 'all', label: t('wf.alerts.all') },
                ]}
                style={{ width: isPhone ? '100%' : 140 }}
              />
              <Select<AlertKind>
                allowClear
                aria-label={t('wf.alerts.kind')}
                placeholder={t('wf.alerts.allKinds')}
                value={kind}
                onChange={(value) => set({ kind: value ?? undefined })}
                options={ALERT_KINDS.map((value) => ({ value, label: t(`wf.alert.kind.${value}`) }))}
                style={{ width: isPhone ? '100%' : 180 }}
              />
              {enterpriseId ? (
                <Tag
                  closable
                  onClose={() => set({ enterpriseId: undefined })}
                  data-testid="alerts-enterprise"
                >
                  {t('wf.roster.onlyEnterprise', { name: enterpriseName ?? enterpriseId })}
                </Tag>
              ) : null}
            </Flex>
            {list.isError ? (
              <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
            ) : (
              <>
                <Typography.Text type="secondary" data-testid="alerts-count">
                  {list.isPending ? t('common.loading') : t('wf.alerts.count', { n: total })}
                </Typography.Text>
                <AlertList rows={rows} loading={list.isPending} isPhone={isPhone} onAct={setActing} />
                {list.hasNextPage ? (
                  <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                    {t('wf.loadMore', { shown: rows.length, total })}
                  </Button>
                ) : null}
              </>
            )}
          </Flex>
        </Card>
      </Flex>
      {acting ? (
        <CloseAlertDialog alert={acting.alert} to={acting.to} onClose={() => setActing(null)} />
      ) : null}
    </div>
  );
}

function useTransition() {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AlertTransitionBody }) =>
      workforceApi.transitionAlert(id, body),
    onSuccess: async (alert) => {
      void message.success(t(`wf.alerts.moved.${alert.state}`));
      await queryClient.invalidateQueries({ queryKey: wfKeys.all });
    },
    onError: (error) => void message.error(errorMessage(error, lang)),
  });
}

function AlertActions({
  alert,
  onAct,
}: {
  alert: Alert;
  onAct: (act: { alert: Alert; to: 'resolved' | 'dismissed' }) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const transition = useTransition();
  if (!can(me, 'alerts.handle')) return null;
  return (
    <Flex gap={4} wrap="wrap">
      {canTransitionAlert(alert.state, 'acknowledged') ? (
        <Button
          size="small"
          loading={transition.isPending}
          onClick={() => transition.mutate({ id: alert.id, body: { to: 'acknowledged' } })}
        >
          {t('wf.alerts.acknowledge')}
        </Button>
      ) : null}
      {canTransitionAlert(alert.state, 'resolved') ? (
        <Button size="small" onClick={() => onAct({ alert, to: 'resolved' })}>
          {t('wf.alerts.resolve')}
        </Button>
      ) : null}
      {canTransitionAlert(alert.state, 'dismissed') ? (
        <Button size="small" danger onClick={() => onAct({ alert, to: 'dismissed' })}>
          {t('wf.alerts.dismiss')}
        </Button>
      ) : null}
    </Flex>
  );
}

function Deadline({ alert }: { alert: Alert }) {
  const { t, dateTime } = useI18n();
  const open = alert.state === 'new' || alert.state === 'acknowledged';
  const past = open && Date.parse(alert.deadline) < Date.now();
  return (
    <Typography.Text type={past ? 'danger' : open ? undefined : 'secondary'}>
      {dateTime(alert.deadline)}
      {past ? ` · ${t('wf.alerts.pastDeadline')}` : ''}
    </Typography.Text>
  );
}

function AlertList({
  rows,
  loading,
  isPhone,
  onAct,
}: {
  rows: Alert[];
  loading: boolean;
  isPhone: boolean;
  onAct: (act: { alert: Alert; to: 'resolved' | 'dismissed' }) => void;
}) {
  const { t, dateTime } = useI18n();
  if (isPhone) {
    if (loading) return <Spin className="page-spin" />;
    if (rows.length === 0) return <Empty description={t('wf.alerts.empty')} />;
    return (
      <Flex vertical gap={8} data-testid="alert-cards">
        {rows.map((alert) => (
          <Card
            key={alert.id}
            size="small"
            title={<AlertKindTag kind={alert.kind} />}
            extra={<AlertStateTag state={alert.state} />}
          >
            <Flex vertical gap={6}>
              <span>{alert.summary}</span>
              <Typography.Text type="secondary" className="small">
                {t('wf.alerts.raisedAt')}：{dateTime(alert.raisedAt)}
              </Typography.Text>
              <span className="small">
                {t('wf.alerts.deadline')}：<Deadline alert={alert} />
              </span>
              {alert.dismissReason ? (
                <Typography.Text type="secondary" className="small">
                  {t('wf.alerts.reason')}：{alert.dismissReason}
                </Typography.Text>
              ) : null}
              <AlertActions alert={alert} onAct={onAct} />
            </Flex>
          </Card>
        ))}
      </Flex>
    );
  }
  const columns: TableColumnsType<Alert> = [
    {
      key: 'kind',
      title: t('wf.alerts.kind'),
      width: 150,
      render: (_, row) => <AlertKindTag kind={row.kind} />,
    },
    {
      key: 'summary',
      title: t('wf.alerts.summary'),
      render: (_, row) => (
        <Flex vertical gap={2}>
          <span>{row.summary}</span>
          {row.dismissReason ? (
            <Typography.Text type="secondary" className="small">
              {t('wf.alerts.reason')}：{row.dismissReason}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'state',
      title: t('wf.alerts.state'),
      width: 90,
      render: (_, row) => <AlertStateTag state={row.state} />,
    },
    { key: 'raised', title: t('wf.alerts.raisedAt'), width: 150, render: (_, row) => dateTime(row.raisedAt) },
    {
      key: 'deadline',
      title: t('wf.alerts.deadline'),
      width: 190,
      render: (_, row) => <Deadline alert={row} />,
    },
    { key: 'act', title: '', width: 200, render: (_, row) => <AlertActions alert={row} onAct={onAct} /> },
  ];
  return (
    <Table<Alert>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 900 }}
      data-testid="alerts-table"
    />
  );
}

function CloseAlertDialog({
  alert,
  to,
  onClose,
}: {
  alert: Alert;
  to: 'resolved' | 'dismissed';
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text?: string }>();
  const transition = useTransition();
  return (
    <Modal
      open
      title={t(to === 'resolved' ? 'wf.alerts.resolveTitle' : 'wf.alerts.dismissTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{alert.summary}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          const text = values.text?.trim() ?? '';
          const body: AlertTransitionBody =
            to === 'resolved' ? { to, note: text || null } : { to, reason: text };
          transition.mutate({ id: alert.id, body }, { onSuccess: onClose });
        }}
      >
        <Form.Item
          name="text"
          label={t(to === 'resolved' ? 'wf.alerts.note' : 'wf.alerts.reason')}
          rules={
            to === 'dismissed'
              ? [
                  {
                    required: true,
                    whitespace: true,
                    min: 2,
                    max: 500,
                    message: t('wf.alerts.reasonRequired'),
                  },
                ]
              : [{ max: 500 }]
          }
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Open alerts by county and kind, for officials. */
function AlertCounts() {
  const { t } = useI18n();
  const { names } = useRegionNames();
  const counts = useQuery({
    queryKey: wfKeys.alertCounts,
    queryFn: () => workforceApi.alertCounts('county'),
  });
  if (counts.isError) return <QueryErrorResult error={counts.error} onRetry={() => void counts.refetch()} />;
  const byRegion = new Map<string, Partial<Record<AlertKind, number>> & { open: number; total: number }>();
  for (const item of counts.data?.items ?? []) {
    const row = byRegion.get(item.regionCode) ?? { open: 0, total: 0 };
    row[item.kind] = (row[item.kind] ?? 0) + item.open;
    row.open += item.open;
    row.total += item.total;
    byRegion.set(item.regionCode, row);
  }
  const rows = [...byRegion].map(([regionCode, row]) => ({ regionCode, ...row }));
  type Row = (typeof rows)[number];
  const columns: TableColumnsType<Row> = [
    {
      key: 'region',
      title: t('wf.stats.region'),
      render: (_, row) => names.get(row.regionCode) ?? row.regionCode,
    },
    ...ALERT_KINDS.map((kind) => ({
      key: kind,
      title: t(`wf.alert.kind.${kind}`),
      align: 'right' as const,
      responsive: ['md' as const],
      render: (_: unknown, row: Row) => row[kind] ?? 0,
    })),
    { key: 'open', title: t('wf.alerts.openCount'), align: 'right', render: (_, row) => row.open },
    { key: 'total', title: t('wf.alerts.totalCount'), align: 'right', render: (_, row) => row.total },
  ];
  return (
    <Card size="small" title={t('wf.alerts.countsTitle')}>
      <Table<Row>
        rowKey="regionCode"
        size="small"
        loading={counts.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="alert-counts"
      />
    </Card>
  );
}
