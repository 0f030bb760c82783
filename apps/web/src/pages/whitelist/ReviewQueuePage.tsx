/**
 * 白名单审核: the applications a sector department must review, city-operations and linked enterprises
 * first (the server sorts them so), with the deadline and an overdue marker. One application opens in a
 * drawer with its criteria result, answers and enterprise facts, and is approved (service tier), rejected
 * (reason) or returned (reason); its materials are listed and downloadable. Selected rows are approved or
 * rejected together after a confirmation in one call, all or nothing: when any cannot be decided, nothing is,
 * and the rows that stood in the way are marked with the reason.
 */
import { CheckOutlined, CloseOutlined, RollbackOutlined } from '@ant-design/icons';
import {
  APPLICATION_STATUSES,
  type Application,
  ERROR_CATALOG,
  type ErrorCode,
  type ReviewBody,
  SECTOR_LABELS,
  SERVICE_TIERS,
  type ServiceTier,
} from '@sibao/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Spin,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, type ApplicationFilter, api, whitelistApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { type I18n, useI18n } from '../../i18n';
import type { MessageKey } from '../../messages';
import { useMe } from '../../session';
import { ApplicationFiles } from './ApplicationFiles';
import {
  ApplicationStatusTag,
  answerText,
  CriteriaResultView,
  CriteriaStatusTag,
  tierLabel,
} from './whitelist.shared';

const PAGE_SIZE = 50;
type Decision = ReviewBody['decision'];
type Status = Application['status'];

function filterFrom(params: URLSearchParams): ApplicationFilter & { priority: boolean } {
  const status = params.get('status');
  const sector = params.get('sector');
  return {
    // The queue opens on what waits for a decision; `all` shows every state.
    status:
      status === 'all'
        ? undefined
        : APPLICATION_STATUSES.includes(status as Status)
          ? (status as Status)
          : 'submitted',
    sector: sector && sector in SECTOR_LABELS ? (sector as ApplicationFilter['sector']) : undefined,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
    priority: params.get('priority') === 'true',
  };
}

/** Names of the regions below the reviewer's own (a county department's are all its own county). */
function useRegionName(): (code: string) => string {
  const me = useMe();
  const children = useQuery({
    queryKey: ['regions', me.region.code],
    queryFn: () => api.regions(me.region.code),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const names = useMemo(() => {
    const map = new Map<string, string>([[me.region.code, me.region.name]]);
    for (const r of children.data?.items ?? []) map.set(r.code, r.name);
    return map;
  }, [children.data, me.region]);
  return (code) => names.get(code) ?? names.get(`${code.slice(0, 4)}00`) ?? code;
}

function Flags({ application: a, i18n }: { application: Application; i18n: I18n }) {
  const { t } = i18n;
  if (!a.priority.cityOperations && !a.priority.linkedToListed) return null;
  return (
    <Flex gap={4} wrap="wrap" className="wl-flags">
      {a.priority.cityOperations ? <Tag color="red">{t('wl.review.flag.cityOperations')}</Tag> : null}
      {a.priority.linkedToListed ? <Tag color="purple">{t('wl.review.flag.linked')}</Tag> : null}
    </Flex>
  );
}

export default function ReviewQueuePage() {
  const i18n = useI18n();
  const { t, pick, dateTime } = i18n;
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFrom(params), [params]);
  const { priority, ...serverFilter } = filter;
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  // The dialog keeps the applications it was opened with: the list refetches once they are decided (they
  // leave the queue), and the dialog must still show what it did to them.
  const [bulk, setBulk] = useState<{ decision: 'approve' | 'reject'; applications: Application[] } | null>(
    null,
  );
  const regionName = useRegionName();

  const setFilter = (change: Partial<typeof filter>) => {
    const next = { ...filter, ...change };
    const out = new URLSearchParams();
    out.set('status', next.status ?? 'all');
    if (next.sector) out.set('sector', next.sector);
    if (next.overdue) out.set('overdue', 'true');
    if (next.priority) out.set('priority', 'true');
    setParams(out);
    setSelected([]);
  };

  const list = useInfiniteQuery({
    queryKey: ['whitelist', 'applications', 'queue', serverFilter],
    queryFn: ({ pageParam }) =>
      whitelistApi.applications(serverFilter, { limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const all = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  // The server has no flag filter; it sorts flagged ones first, so narrowing the loaded rows is faithful.
  const rows = priority ? all.filter((a) => a.priority.cityOperations || a.priority.linkedToListed) : all;
  const total = list.data?.pages[0]?.total ?? 0;
  const selectedRows = rows.filter((a) => selected.includes(a.id));

  const columns: TableColumnsType<Application> = [
    {
      key: 'enterprise',
      title: t('wl.review.enterprise'),
      render: (_, a) => (
        <Flex vertical gap={2}>
          <Typography.Link strong onClick={() => setOpenId(a.id)}>
            {a.enterprise.name}
          </Typography.Link>
          <Flags application={a} i18n={i18n} />
        </Flex>
      ),
    },
    {
      key: 'region',
      title: t('wl.review.region'),
      width: 110,
      responsive: ['lg'],
      render: (_, a) => regionName(a.enterprise.regionCode),
    },
    {
      key: 'sector',
      title: t('wl.review.sector'),
      width: 100,
      responsive: ['lg'],
      render: (_, a) => pick(SECTOR_LABELS[a.sector]),
    },
    {
      key: 'criteria',
      title: t('wl.review.criteria'),
      width: 110,
      render: (_, a) => <CriteriaStatusTag status={a.result.status} i18n={i18n} />,
    },
    {
      key: 'tier',
      title: t('wl.review.reviewTier'),
      width: 90,
      responsive: ['xl'],
      render: (_, a) => tierLabel(a.reviewTier, i18n),
    },
    {
      key: 'due',
      title: t('wl.review.due'),
      width: 170,
      render: (_, a) => (
        <Flex vertical gap={2}>
          <span className="tabular">{dateTime(a.dueAt)}</span>
          {a.overdue ? (
            <Tag color="error" variant="filled" style={{ width: 'fit-content' }}>
              {t('wl.review.overdue')}
            </Tag>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('wl.review.status'),
      width: 90,
      render: (_, a) => <ApplicationStatusTag status={a.status} i18n={i18n} />,
    },
  ];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wl.review.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wl.review.hint')}</Typography.Paragraph>
      <Card>
        <Flex vertical gap={12}>
          <Flex gap={8} wrap="wrap" align="center">
            <Select<string>
              aria-label={t('wl.review.status')}
              value={filter.status ?? 'all'}
              onChange={(status) => setFilter({ status: status === 'all' ? undefined : (status as Status) })}
              options={[
                { value: 'all', label: t('wl.review.allStatuses') },
                ...APPLICATION_STATUSES.map((s) => ({
                  value: s,
                  label: t(`wl.apply.status.${s}` as MessageKey),
                })),
              ]}
              className="wl-filter"
            />
            {me.sectors.length > 1 ? (
              <Select<string>
                allowClear
                aria-label={t('wl.review.sector')}
                placeholder={t('wl.review.allSectors')}
                value={filter.sector}
                onChange={(sector) =>
                  setFilter({ sector: (sector ?? undefined) as ApplicationFilter['sector'] })
                }
                options={me.sectors.map((s) => ({ value: s, label: pick(SECTOR_LABELS[s]) }))}
                className="wl-filter"
              />
            ) : null}
            <Flex gap={6} align="center">
              <Switch
                size="small"
                checked={filter.overdue === 'true'}
                onChange={(on) => setFilter({ overdue: on ? 'true' : undefined })}
                aria-label={t('wl.review.onlyOverdue')}
              />
              <Typography.Text>{t('wl.review.onlyOverdue')}</Typography.Text>
            </Flex>
            <Flex gap={6} align="center">
              <Switch
                size="small"
                checked={priority}
                onChange={(on) => setFilter({ priority: on })}
                aria-label={t('wl.review.onlyPriority')}
              />
              <Typography.Text>{t('wl.review.onlyPriority')}</Typography.Text>
            </Flex>
          </Flex>
          <Flex justify="space-between" align="center" gap={8} wrap="wrap">
            <Typography.Text type="secondary" data-testid="review-count">
              {list.isPending ? t('common.loading') : t('wl.review.count', { shown: rows.length, total })}
            </Typography.Text>
            <Flex gap={8}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={selectedRows.length === 0}
                onClick={() => setBulk({ decision: 'approve', applications: selectedRows })}
              >
                {t('wl.review.bulkApprove', { n: selectedRows.length })}
              </Button>
              <Button
                danger
                icon={<CloseOutlined />}
                disabled={selectedRows.length === 0}
                onClick={() => setBulk({ decision: 'reject', applications: selectedRows })}
              >
                {t('wl.review.bulkReject', { n: selectedRows.length })}
              </Button>
            </Flex>
          </Flex>
          {list.isError ? (
            <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <Table<Application>
              rowKey="id"
              size="middle"
              loading={list.isPending}
              columns={columns}
              dataSource={rows}
              pagination={false}
              scroll={screens.md === false ? { x: 560 } : undefined}
              data-testid="review-table"
              rowSelection={{
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (a) => ({ disabled: !a.actions.includes('approve') }),
              }}
              locale={{ emptyText: <Empty description={t('wl.review.empty')} /> }}
            />
          )}
          {list.hasNextPage ? (
            <Flex justify="center">
              <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t('wl.review.loadMore')}
              </Button>
            </Flex>
          ) : null}
        </Flex>
      </Card>
      <ApplicationDrawer id={openId} onClose={() => setOpenId(null)} regionName={regionName} i18n={i18n} />
      {bulk ? (
        <BulkDialog
          decision={bulk.decision}
          applications={bulk.applications}
          onClose={() => {
            setBulk(null);
            setSelected([]);
          }}
          i18n={i18n}
        />
      ) : null}
    </div>
  );
}

function useReview() {
  const queryClient = useQueryClient();
  return (id: string, body: ReviewBody) =>
    whitelistApi.reviewApplication(id, body).finally(() => {
      void queryClient.invalidateQueries({ queryKey: ['whitelist', 'applications'] });
    });
}

function ApplicationDrawer({
  id,
  onClose,
  regionName,
  i18n,
}: {
  id: string | null;
  onClose: () => void;
  regionName: (code: string) => string;
  i18n: I18n;
}) {
  const { lang, t, pick, dateTime } = i18n;
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const detail = useQuery({
    queryKey: ['whitelist', 'applications', 'detail', id],
    queryFn: () => whitelistApi.application(id ?? ''),
    enabled: id !== null,
  });
  const a = detail.data;
  const catalogue = useQuery({
    queryKey: ['public-whitelist', 'criteria', a?.sector],
    queryFn: () => whitelistApi.publicCriteria(a?.sector ?? 'industry'),
    enabled: a !== undefined,
    staleTime: 5 * 60_000,
  });
  const facts = catalogue.data?.facts;
  const [decision, setDecision] = useState<Decision | null>(null);
  const [form] = Form.useForm<{ reason?: string; serviceTier?: ServiceTier }>();
  const review = useReview();
  const act = useMutation({
    mutationFn: (body: ReviewBody) => review(id ?? '', body),
    onSuccess: () => {
      void message.success(t(`wl.review.done.${decision ?? 'approve'}` as MessageKey));
      setDecision(null);
      void detail.refetch();
    },
  });

  const openDecision = (next: Decision) => {
    form.resetFields();
    form.setFieldsValue({ serviceTier: a?.result.suggestedTier ?? a?.reviewTier });
    act.reset();
    setDecision(next);
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={a?.enterprise.name ?? t('wl.review.detail')}
      size={screens.md === false ? '100%' : 600}
      destroyOnHidden
      footer={
        a && a.actions.length > 0 ? (
          <Flex gap={8} justify="flex-end" wrap="wrap">
            {a.actions.includes('return') ? (
              <Button icon={<RollbackOutlined />} onClick={() => openDecision('return')}>
                {t('wl.review.return')}
              </Button>
            ) : null}
            {a.actions.includes('reject') ? (
              <Button danger icon={<CloseOutlined />} onClick={() => openDecision('reject')}>
                {t('wl.review.reject')}
              </Button>
            ) : null}
            {a.actions.includes('approve') ? (
              <Button type="primary" icon={<CheckOutlined />} onClick={() => openDecision('approve')}>
                {t('wl.review.approve')}
              </Button>
            ) : null}
          </Flex>
        ) : null
      }
    >
      {detail.isPending ? (
        <Spin className="page-spin" />
      ) : detail.isError ? (
        <QueryErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : a ? (
        <Flex vertical gap={16} data-testid="application-detail">
          <Flex gap={6} wrap="wrap" align="center">
            <ApplicationStatusTag status={a.status} i18n={i18n} />
            <Flags application={a} i18n={i18n} />
            {a.overdue ? <Tag color="error">{t('wl.review.overdue')}</Tag> : null}
          </Flex>
          {a.decisionReason ? (
            <Alert type="info" showIcon title={t('wl.apply.reason', { reason: a.decisionReason })} />
          ) : null}
          <section>
            <Typography.Title level={5}>{t('wl.review.criteriaResult')}</Typography.Title>
            <CriteriaResultView result={a.result} reviewTier={a.reviewTier} i18n={i18n} />
          </section>
          <Descriptions
            title={t('wl.review.facts')}
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'uscc',
                label: t('wl.public.uscc'),
                children: <span className="mono">{a.enterprise.uscc}</span>,
              },
              { key: 'region', label: t('wl.review.region'), children: regionName(a.enterprise.regionCode) },
              { key: 'sector', label: t('wl.review.sector'), children: pick(SECTOR_LABELS[a.sector]) },
              {
                key: 'value',
                label: t('wl.review.annualValue'),
                children: t('wl.review.wan', {
                  value: (a.enterprise.annualValueFen / 1_000_000).toLocaleString(
                    lang === 'zh' ? 'zh-CN' : 'en-GB',
                    {
                      maximumFractionDigits: 2,
                    },
                  ),
                }),
              },
              {
                key: 'cityOps',
                label: t('wl.review.flag.cityOperations'),
                children: t(a.enterprise.cityOperations ? 'wl.apply.yes' : 'wl.apply.no'),
              },
              { key: 'submitted', label: t('wl.review.submitted'), children: dateTime(a.submittedAt) },
              { key: 'due', label: t('wl.review.due'), children: dateTime(a.dueAt) },
            ]}
          />
          <Descriptions
            title={t('wl.review.answers')}
            column={1}
            size="small"
            bordered
            items={Object.entries(facts ?? {})
              .filter(([, def]) => def.source === 'answer')
              .map(([fact, def]) => ({
                key: fact,
                label: pick(def.label),
                children: answerText(fact, (a.answers as Record<string, unknown>)[fact], facts, i18n),
              }))}
          />
          <section>
            <Typography.Title level={5}>{t('wl.files.title')}</Typography.Title>
            <ApplicationFiles application={a} i18n={i18n} />
          </section>
        </Flex>
      ) : null}
      <Modal
        open={decision !== null}
        title={decision ? t(`wl.review.${decision}` as MessageKey) : ''}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: decision === 'reject', loading: act.isPending }}
        onCancel={() => setDecision(null)}
        onOk={() =>
          void form.validateFields().then((values) =>
            act.mutate(
              decision === 'approve'
                ? {
                    decision,
                    ...(values.serviceTier ? { serviceTier: values.serviceTier } : {}),
                    ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}),
                  }
                : { decision: decision ?? 'reject', reason: values.reason?.trim() ?? '' },
            ),
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical" requiredMark={decision !== 'approve'}>
          {decision === 'approve' ? (
            <Form.Item name="serviceTier" label={t('wl.review.serviceTier')}>
              <Select
                options={SERVICE_TIERS.map((tier) => ({ value: tier, label: tierLabel(tier, i18n) }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item
            name="reason"
            label={decision === 'approve' ? t('wl.review.note') : t('wl.review.reason')}
            rules={
              decision === 'approve'
                ? [{ min: 2, max: 1000, message: t('wl.review.reasonLength') }]
                : [
                    { required: true, whitespace: true, message: t('wl.review.reasonRequired') },
                    { min: 2, max: 1000, message: t('wl.review.reasonLength') },
                  ]
            }
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {act.isError ? <Alert type="error" showIcon title={errorMessage(act.error, lang)} /> : null}
        </Form>
      </Modal>
    </Drawer>
  );
}

type Outcome =
  | { state: 'pending' }
  | { state: 'ok' }
  | { state: 'failed'; message: string }
  | { state: 'skipped' };

function BulkDialog({
  decision,
  applications,
  onClose,
  i18n,
}: {
  decision: 'approve' | 'reject';
  applications: Application[];
  onClose: () => void;
  i18n: I18n;
}) {
  const { lang, t, pick } = i18n;
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const [outcomes, setOutcomes] = useState<Record<string, Outcome> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const running = outcomes !== null && Object.values(outcomes).some((o) => o.state === 'pending');
  const finished = outcomes !== null && !running;

  const run = async () => {
    const { reason } = await form.validateFields();
    const body: ReviewBody =
      decision === 'approve' ? { decision } : { decision, reason: reason?.trim() ?? '' };
    setFailure(null);
    setOutcomes(Object.fromEntries(applications.map((a) => [a.id, { state: 'pending' } as Outcome])));
    // One call, one transaction: all are decided (each with its own audit row), or none is.
    try {
      await whitelistApi.reviewBatch({ ids: applications.map((a) => a.id), ...body });
      setOutcomes(Object.fromEntries(applications.map((a) => [a.id, { state: 'ok' } as Outcome])));
    } catch (error) {
      const refused =
        error instanceof ApiError && error.code === 'WHITELIST_REVIEW_BATCH_REFUSED' ? error.fieldErrors : [];
      if (refused.length === 0) setFailure(errorMessage(error, lang));
      const reasons = new Map(
        refused.map((e) => [
          e.message,
          e.code in ERROR_CATALOG ? pick(ERROR_CATALOG[e.code as ErrorCode]) : e.code,
        ]),
      );
      setOutcomes(
        Object.fromEntries(
          applications.map((a) => {
            const why = reasons.get(a.id);
            return [a.id, why ? { state: 'failed', message: why } : { state: 'skipped' }] as const;
          }),
        ),
      );
    } finally {
      void queryClient.invalidateQueries({ queryKey: ['whitelist', 'applications'] });
    }
  };

  const ok = outcomes ? Object.values(outcomes).filter((o) => o.state === 'ok').length : 0;
  return (
    <Modal
      open
      title={t(decision === 'approve' ? 'wl.review.bulkApproveTitle' : 'wl.review.bulkRejectTitle', {
        n: applications.length,
      })}
      onCancel={running ? undefined : onClose}
      closable={!running}
      maskClosable={false}
      footer={
        finished ? (
          <Button type="primary" onClick={onClose}>
            {t('wl.review.close')}
          </Button>
        ) : (
          <Flex gap={8} justify="flex-end">
            <Button disabled={running} onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="primary"
              danger={decision === 'reject'}
              loading={running}
              onClick={() => void run()}
            >
              {t(decision === 'approve' ? 'wl.review.confirmApprove' : 'wl.review.confirmReject')}
            </Button>
          </Flex>
        )
      }
    >
      <Flex vertical gap={12} data-testid="bulk-dialog">
        {outcomes === null ? (
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {t(decision === 'approve' ? 'wl.review.bulkApproveHint' : 'wl.review.bulkRejectHint', {
              n: applications.length,
            })}
          </Typography.Paragraph>
        ) : finished ? (
          <Alert
            type={ok === applications.length ? 'success' : 'error'}
            showIcon
            title={
              ok === applications.length
                ? t('wl.review.bulkDone', { n: ok })
                : (failure ?? t('wl.review.bulkRefused'))
            }
          />
        ) : null}
        {decision === 'reject' && outcomes === null ? (
          <Form form={form} layout="vertical">
            <Form.Item
              name="reason"
              label={t('wl.review.reason')}
              rules={[
                { required: true, whitespace: true, message: t('wl.review.reasonRequired') },
                { min: 2, max: 1000, message: t('wl.review.reasonLength') },
              ]}
            >
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          </Form>
        ) : null}
        <ul className="wl-criteria-list wl-bulk-list" data-testid="bulk-outcomes">
          {applications.map((a) => {
            const o = outcomes?.[a.id];
            return (
              <li key={a.id}>
                {o?.state === 'ok' ? (
                  <CheckOutlined className="wl-met" aria-hidden />
                ) : o?.state === 'failed' ? (
                  <CloseOutlined className="wl-not-met" aria-hidden />
                ) : o?.state === 'pending' ? (
                  <Spin size="small" />
                ) : (
                  <span />
                )}
                <span>{a.enterprise.name}</span>
                <Typography.Text type={o?.state === 'failed' ? 'danger' : 'secondary'} className="small">
                  {o?.state === 'ok'
                    ? t(decision === 'approve' ? 'wl.review.done.approve' : 'wl.review.done.reject')
                    : o?.state === 'failed'
                      ? o.message
                      : ''}
                </Typography.Text>
              </li>
            );
          })}
        </ul>
      </Flex>
    </Modal>
  );
}
