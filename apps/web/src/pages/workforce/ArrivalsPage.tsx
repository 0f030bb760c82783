/**
 * 入豫报备: enterprises record visitors and returning staff (on a phone, usually) and see the action the
 * code-assignment rules decided — control, red code and central quarantine, or an arrival test within 24 h —
 * and where it stands; they complete a late registration (which resolves the alert) and record an arrival test
 * taken where the lab's results do not reach the platform. Officials see the arrivals of their region with
 * filters. The risk-area table the rules read is listed for everyone and imported by the provincial office.
 */
import { CheckOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ARRIVAL_ACTIONS,
  ARRIVAL_STATES,
  type ArrivalBodyInput,
  CONTACT_STATUSES,
  ERROR_CATALOG,
  HEALTH_CODES,
  ITINERARY_CODES,
  validateIdNumber,
  validateMobile,
} from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Radio,
  Select,
  Spin,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { type Arrival, type ArrivalFilter, api, type RiskArea, workforceApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { FileImportDialog } from '../../components/FileImportDialog';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { useCursorList, useFilterParams, wfKeys } from './common';
import './workforce.css';

const PAGE = 50;
const arrivalKeys = {
  list: (filter: unknown) => ['workforce', 'arrivals', filter] as const,
  riskAreas: (onDate: string | undefined) => ['workforce', 'risk-areas', onDate ?? 'all'] as const,
};

/** GB/T 2260 province-level prefixes: arrivals come from anywhere in China. */
const PROVINCES: Record<string, string> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

export function originText(code: string): string {
  const province = PROVINCES[code.slice(0, 2)];
  return province ? `${province} ${code}` : code;
}

const ACTION_COLORS: Record<Arrival['decision']['action'], string> = {
  control: 'magenta',
  central_quarantine: 'red',
  arrival_test: 'blue',
  refer: 'orange',
};
const STATE_COLORS: Record<Arrival['state'], string> = {
  test_pending: 'gold',
  tested: 'green',
  test_missed: 'red',
  handed_over: 'default',
};

/** `YYYY-MM-DDTHH:mm` in the browser's time, for `<input type="datetime-local">`. */
function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
/** The instant of a `datetime-local` value (read in the browser's time), with its offset. */
const instantOf = (value: string) => new Date(value).toISOString();

const unregistered = (a: Arrival) => !a.preRegistered && a.registrationCompletedAt === null;
const testOpen = (a: Arrival) =>
  a.decision.action === 'arrival_test' && (a.state === 'test_pending' || a.state === 'test_missed');

export default function ArrivalsPage() {
  const { t } = useI18n();
  const me = useMe();
  const official = me.orgUnit.enterpriseId === null;
  const [params, set] = useFilterParams();
  const tab = params.get('tab') === 'risk-areas' ? 'risk-areas' : 'arrivals';
  const setTab = (next: string) => set({ tab: next === 'arrivals' ? undefined : next });
  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.arrivals.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(official ? 'wf.arrivals.hintOfficial' : 'wf.arrivals.hint')}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'arrivals', label: t('wf.arrivals.tab.arrivals'), children: <ArrivalsTab /> },
          { key: 'risk-areas', label: t('wf.arrivals.tab.riskAreas'), children: <RiskAreasTab /> },
        ]}
      />
    </div>
  );
}

type Acting = { arrival: Arrival; act: 'register' | 'test' } | null;

function ArrivalsTab() {
  const { t } = useI18n();
  const me = useMe();
  const isPhone = Grid.useBreakpoint().md === false;
  const official = me.orgUnit.enterpriseId === null;
  const mayRecord = !official && can(me, 'workforce.manage_roster');
  const [params, set] = useFilterParams();
  const stateParam = params.get('state');
  const actionParam = params.get('action');
  const filter: ArrivalFilter = {
    enterpriseId: params.get('enterpriseId') ?? undefined,
    state: (ARRIVAL_STATES as readonly string[]).includes(stateParam ?? '')
      ? (stateParam as ArrivalFilter['state'])
      : undefined,
    action: (ARRIVAL_ACTIONS as readonly string[]).includes(actionParam ?? '')
      ? (actionParam as ArrivalFilter['action'])
      : undefined,
    unregistered: params.get('unregistered') === 'true' ? 'true' : undefined,
  };
  const [recording, setRecording] = useState(false);
  const [acting, setActing] = useState<Acting>(null);

  const { list, rows, total } = useCursorList(arrivalKeys.list(filter), (cursor) =>
    workforceApi.arrivals(filter, { limit: PAGE, cursor }),
  );

  return (
    <Card>
      <Flex vertical gap={16}>
        <Flex gap={12} wrap="wrap" align="center" justify="space-between">
          <Flex gap={12} wrap="wrap" align="center" className="wf-filters">
            <Flex gap={8} align="center">
              <Switch
                checked={filter.unregistered === 'true'}
                onChange={(checked) => set({ unregistered: checked ? 'true' : undefined })}
                aria-label={t('wf.arrivals.onlyUnregistered')}
              />
              <Typography.Text>{t('wf.arrivals.onlyUnregistered')}</Typography.Text>
            </Flex>
            <Select
              allowClear
              aria-label={t('wf.arrivals.state')}
              placeholder={t('wf.arrivals.allStates')}
              value={filter.state}
              onChange={(value) => set({ state: value ?? undefined })}
              options={ARRIVAL_STATES.map((value) => ({ value, label: t(`wf.arrivals.stateTag.${value}`) }))}
              style={{ width: isPhone ? '100%' : 140 }}
            />
            <Select
              allowClear
              aria-label={t('wf.arrivals.action')}
              placeholder={t('wf.arrivals.allActions')}
              value={filter.action}
              onChange={(value) => set({ action: value ?? undefined })}
              options={ARRIVAL_ACTIONS.map((value) => ({ value, label: t(`wf.arrivals.action.${value}`) }))}
              style={{ width: isPhone ? '100%' : 180 }}
            />
            {filter.enterpriseId ? (
              <Button onClick={() => set({ enterpriseId: undefined })}>
                {t('wf.roster.allEnterprises')}
              </Button>
            ) : null}
          </Flex>
          {mayRecord ? (
            <Flex className="wf-actions">
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
                {t('wf.arrivals.record')}
              </Button>
            </Flex>
          ) : null}
        </Flex>
        {list.isError ? (
          <QueryErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <Typography.Text type="secondary" data-testid="arrivals-count">
              {list.isPending ? t('common.loading') : t('wf.arrivals.count', { n: total })}
            </Typography.Text>
            {isPhone ? (
              <ArrivalCards rows={rows} loading={list.isPending} onAct={mayRecord ? setActing : undefined} />
            ) : (
              <ArrivalTable
                rows={rows}
                loading={list.isPending}
                official={official}
                onAct={mayRecord ? setActing : undefined}
              />
            )}
            {list.hasNextPage ? (
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('wf.loadMore', { shown: rows.length, total })}
              </Button>
            ) : null}
          </>
        )}
      </Flex>
      {recording ? (
        <RecordArrivalDialog
          onClose={() => setRecording(false)}
          onRegister={(arrival) => setActing({ arrival, act: 'register' })}
        />
      ) : null}
      {acting?.act === 'register' ? (
        <CompleteRegistrationDialog arrival={acting.arrival} onClose={() => setActing(null)} />
      ) : null}
      {acting?.act === 'test' ? (
        <TestDoneDialog arrival={acting.arrival} onClose={() => setActing(null)} />
      ) : null}
    </Card>
  );
}

/** The action the rules decided, protection, the deadline or quarantine end. */
function Decision({ arrival }: { arrival: Arrival }) {
  const { t, dateTime } = useI18n();
  const { decision } = arrival;
  return (
    <Flex vertical gap={4} data-testid="arrival-action">
      <Flex gap={4} wrap="wrap" align="center">
        <Tag color={ACTION_COLORS[decision.action]}>{t(`wf.arrivals.action.${decision.action}`)}</Tag>
        {decision.codeProtected ? <Tag color="green">{t('wf.arrivals.protected')}</Tag> : null}
        {decision.riskLevel !== 'low' ? (
          <Tag color="volcano">{t(`wf.risk.${decision.riskLevel}`)}</Tag>
        ) : null}
      </Flex>
      <Typography.Text type="secondary" className="small">
        {decision.quarantineEndsAt
          ? t('wf.arrivals.quarantineEnds', { at: dateTime(decision.quarantineEndsAt) })
          : t('wf.arrivals.dueAt', { at: dateTime(decision.dueAt) })}
      </Typography.Text>
    </Flex>
  );
}

function StateTags({ arrival }: { arrival: Arrival }) {
  const { t, dateTime } = useI18n();
  return (
    <Flex gap={4} wrap="wrap" align="center" data-testid="arrival-state">
      <Tag color={STATE_COLORS[arrival.state]}>{t(`wf.arrivals.stateTag.${arrival.state}`)}</Tag>
      {unregistered(arrival) ? (
        <Tag color="red">{t('wf.arrivals.unregistered')}</Tag>
      ) : arrival.preRegistered ? null : (
        <Tag color="green">{t('wf.arrivals.registeredLate')}</Tag>
      )}
      {arrival.testSampledAt ? (
        <Typography.Text type="secondary" className="small">
          {t('wf.arrivals.testedAt', { at: dateTime(arrival.testSampledAt) })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

function ArrivalActions({ arrival, onAct }: { arrival: Arrival; onAct: (acting: Acting) => void }) {
  const { t } = useI18n();
  if (!unregistered(arrival) && !testOpen(arrival)) return null;
  return (
    <Flex gap={4} wrap="wrap">
      {unregistered(arrival) ? (
        <Button size="small" type="primary" onClick={() => onAct({ arrival, act: 'register' })}>
          {t('wf.arrivals.complete')}
        </Button>
      ) : null}
      {testOpen(arrival) ? (
        <Button size="small" icon={<CheckOutlined />} onClick={() => onAct({ arrival, act: 'test' })}>
          {t('wf.arrivals.testDone')}
        </Button>
      ) : null}
    </Flex>
  );
}

function Explain({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <details className="small">
      <summary>{t('wf.arrivals.why')}</summary>
      <Typography.Paragraph className="small" style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>
        {text}
      </Typography.Paragraph>
    </details>
  );
}

function ArrivalCards({
  rows,
  loading,
  onAct,
}: {
  rows: Arrival[];
  loading: boolean;
  onAct: ((acting: Acting) => void) | undefined;
}) {
  const { t, dateTime } = useI18n();
  if (loading) return <Spin className="page-spin" />;
  if (rows.length === 0) return <Empty description={t('wf.arrivals.empty')} />;
  return (
    <Flex vertical gap={8} data-testid="arrival-cards">
      {rows.map((arrival) => (
        <Card
          key={arrival.id}
          size="small"
          data-testid="arrival-card"
          className={`wf-card wf-card-${unregistered(arrival) || arrival.state === 'test_missed' ? 'overdue' : arrival.state === 'test_pending' ? 'dueSoon' : 'current'}`}
          title={
            <Flex gap={8} align="center">
              <span>{arrival.name}</span>
              <Tag>{t(`wf.arrivals.kind.${arrival.personKind}`)}</Tag>
            </Flex>
          }
        >
          <Flex vertical gap={6}>
            {arrival.enterpriseName ? (
              <Typography.Text strong>{arrival.enterpriseName}</Typography.Text>
            ) : null}
            <span className="small">
              {originText(arrival.originCountyCode)} · {dateTime(arrival.arrivedAt)}
            </span>
            <Decision arrival={arrival} />
            <StateTags arrival={arrival} />
            {onAct ? <ArrivalActions arrival={arrival} onAct={onAct} /> : null}
            <Explain text={arrival.decision.explain} />
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function ArrivalTable({
  rows,
  loading,
  official,
  onAct,
}: {
  rows: Arrival[];
  loading: boolean;
  official: boolean;
  onAct: ((acting: Acting) => void) | undefined;
}) {
  const { t, dateTime } = useI18n();
  const columns: TableColumnsType<Arrival> = [
    ...(official
      ? [
          {
            key: 'enterprise',
            title: t('wf.arrivals.enterprise'),
            width: 180,
            render: (_: unknown, row: Arrival) => row.enterpriseName ?? '—',
          },
        ]
      : []),
    {
      key: 'person',
      title: t('wf.arrivals.person'),
      width: 190,
      render: (_, row) => (
        <Flex vertical gap={2}>
          <span>
            {row.name} <Tag>{t(`wf.arrivals.kind.${row.personKind}`)}</Tag>
          </span>
          <span className="mono small">{row.idNumber}</span>
        </Flex>
      ),
    },
    {
      key: 'origin',
      title: t('wf.arrivals.origin'),
      width: 150,
      render: (_, row) => originText(row.originCountyCode),
    },
    {
      key: 'arrived',
      title: t('wf.arrivals.arrivedAt'),
      width: 150,
      render: (_, row) => dateTime(row.arrivedAt),
    },
    {
      key: 'action',
      title: t('wf.arrivals.action'),
      width: 230,
      render: (_, row) => (
        <Flex vertical gap={4}>
          <Decision arrival={row} />
          <Explain text={row.decision.explain} />
        </Flex>
      ),
    },
    {
      key: 'state',
      title: t('wf.arrivals.state'),
      width: 180,
      render: (_, row) => <StateTags arrival={row} />,
    },
    ...(onAct
      ? [
          {
            key: 'act',
            title: '',
            width: 200,
            render: (_: unknown, row: Arrival) => <ArrivalActions arrival={row} onAct={onAct} />,
          },
        ]
      : []),
  ];
  return (
    <Table<Arrival>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 1000 }}
      data-testid="arrivals-table"
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Recording an arrival

interface Values {
  personKind: 'visitor' | 'returning_staff';
  employeeId?: string;
  name: string;
  idNumber: string;
  phone?: string;
  originScope: 'henan' | 'outside';
  henanCounty?: string[];
  outsideCode?: string;
  arrivedAt: string;
  preRegistered: boolean;
  healthCode: ArrivalBodyInput['healthCode'];
  itineraryCode: ArrivalBodyInput['itineraryCode'];
  negativeTestSampledAt?: string;
  contactStatus: NonNullable<ArrivalBodyInput['contactStatus']>;
}

const FIELDS = ['name', 'idNumber', 'phone', 'arrivedAt', 'negativeTestSampledAt', 'employeeId'] as const;

interface CascaderOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: CascaderOption[];
}

/** Henan's cities and counties, each level loaded when it opens. */
function useHenanOptions() {
  const queryClient = useQueryClient();
  const cities = useQuery({
    queryKey: ['regions', '410000'],
    queryFn: () => api.regions('410000'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [counties, setCounties] = useState<Record<string, CascaderOption[]>>({});
  const options: CascaderOption[] = (cities.data?.items ?? []).map((city) => ({
    value: city.code,
    label: city.name,
    isLeaf: city.childCount === 0,
    ...(counties[city.code] ? { children: counties[city.code] } : {}),
  }));
  const load = async (selected: CascaderOption[]) => {
    const city = selected[selected.length - 1];
    if (!city) return;
    const list = await queryClient.fetchQuery({
      queryKey: ['regions', city.value],
      queryFn: () => api.regions(city.value),
      staleTime: Number.POSITIVE_INFINITY,
    });
    setCounties((loaded) => ({
      ...loaded,
      [city.value]: list.items.map((county) => ({ value: county.code, label: county.name, isLeaf: true })),
    }));
  };
  return { options, load };
}

function RecordArrivalDialog({
  onClose,
  onRegister,
}: {
  onClose: () => void;
  onRegister: (arrival: Arrival) => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const personKind = Form.useWatch('personKind', form);
  const originScope = Form.useWatch('originScope', form);
  const henan = useHenanOptions();
  const [recorded, setRecorded] = useState<Arrival | null>(null);
  const roster = useQuery({
    queryKey: wfKeys.employees({ status: 'active', picker: true }),
    queryFn: () => workforceApi.employees({ status: 'active' }, { limit: 200 }),
    enabled: personKind === 'returning_staff',
  });

  const codeText = (code: string) => ERROR_CATALOG[code as keyof typeof ERROR_CATALOG]?.[lang] ?? code;

  const save = useMutation({
    mutationFn: (values: Values) => {
      const origin =
        values.originScope === 'henan'
          ? (values.henanCounty?.at(-1) ?? '')
          : (values.outsideCode ?? '').trim();
      const body: ArrivalBodyInput = {
        personKind: values.personKind,
        employeeId: values.personKind === 'returning_staff' ? (values.employeeId ?? null) : null,
        name: values.name.trim(),
        idNumber: values.idNumber.trim(),
        phone: values.phone?.trim() ? values.phone.trim() : null,
        originCountyCode: origin,
        preRegistered: values.preRegistered,
        arrivedAt: instantOf(values.arrivedAt),
        healthCode: values.healthCode,
        itineraryCode: values.itineraryCode,
        negativeTestSampledAt: values.negativeTestSampledAt ? instantOf(values.negativeTestSampledAt) : null,
        contactStatus: values.contactStatus,
      };
      return workforceApi.recordArrival(body);
    },
    onSuccess: async (arrival) => {
      setRecorded(arrival);
      await queryClient.invalidateQueries({ queryKey: wfKeys.all });
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error, lang, FIELDS)) void message.error(errorMessage(error, lang));
    },
  });

  if (recorded) {
    return (
      <Modal
        open
        title={t('wf.arrivals.decided')}
        onCancel={onClose}
        destroyOnHidden
        width={640}
        footer={
          <Flex justify="flex-end" gap={8} wrap="wrap">
            {unregistered(recorded) ? (
              <Button
                onClick={() => {
                  onClose();
                  onRegister(recorded);
                }}
              >
                {t('wf.arrivals.complete')}
              </Button>
            ) : null}
            <Button type="primary" onClick={onClose}>
              {t('wf.arrivals.done')}
            </Button>
          </Flex>
        }
      >
        <Flex vertical gap={12} data-testid="arrival-decision">
          <Typography.Text strong>
            {recorded.name} · {originText(recorded.originCountyCode)}
          </Typography.Text>
          <Decision arrival={recorded} />
          <StateTags arrival={recorded} />
          {unregistered(recorded) ? (
            <Alert
              type="warning"
              showIcon
              title={t('wf.arrivals.unregisteredAlert')}
              data-testid="arrival-alert"
            />
          ) : null}
          <Typography.Paragraph className="small" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
            {recorded.decision.explain}
          </Typography.Paragraph>
        </Flex>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('wf.arrivals.record')}
      onCancel={onClose}
      okText={t('wf.arrivals.form.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        onFinish={(values) => save.mutate(values)}
        initialValues={{
          personKind: 'visitor',
          originScope: 'outside',
          arrivedAt: localInput(new Date()),
          preRegistered: true,
          healthCode: 'green',
          itineraryCode: 'normal',
          contactStatus: 'none',
        }}
      >
        <Form.Item name="personKind" label={t('wf.arrivals.form.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'visitor', label: t('wf.arrivals.kind.visitor') },
              { value: 'returning_staff', label: t('wf.arrivals.kind.returning_staff') },
            ]}
          />
        </Form.Item>
        {personKind === 'returning_staff' ? (
          <Form.Item name="employeeId" label={t('wf.arrivals.form.employee')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              loading={roster.isPending}
              options={(roster.data?.items ?? []).map((e) => ({
                value: e.id,
                label: `${e.name} ${e.idNumber}`,
              }))}
            />
          </Form.Item>
        ) : null}
        <div className="wf-form-row">
          <Form.Item
            name="name"
            label={t('wf.arrivals.form.name')}
            rules={[{ required: true, whitespace: true, max: 50, message: t('wf.arrivals.form.required') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('wf.arrivals.form.idNumber')}
            validateTrigger="onBlur"
            rules={[
              { required: true, message: t('wf.employee.idNumberRequired') },
              {
                validator: async (_, value: string | undefined) => {
                  if (!value) return;
                  const result = validateIdNumber(value.trim());
                  if (!result.ok) throw new Error(codeText(result.code));
                },
              },
            ]}
          >
            <Input autoComplete="off" maxLength={20} className="mono" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('wf.arrivals.form.phone')}
            validateTrigger="onBlur"
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  if (!value?.trim()) return;
                  const result = validateMobile(value.trim());
                  if (!result.ok) throw new Error(codeText(result.code));
                },
              },
            ]}
          >
            <Input autoComplete="off" inputMode="tel" maxLength={16} />
          </Form.Item>
        </div>
        <Form.Item name="originScope" label={t('wf.arrivals.form.originScope')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'outside', label: t('wf.arrivals.form.outside') },
              { value: 'henan', label: t('wf.arrivals.form.inHenan') },
            ]}
          />
        </Form.Item>
        {originScope === 'henan' ? (
          <Form.Item
            name="henanCounty"
            label={t('wf.arrivals.form.county')}
            rules={[{ required: true, message: t('wf.arrivals.form.countyRequired') }]}
          >
            <Cascader<CascaderOption>
              options={henan.options}
              loadData={(selected) => void henan.load(selected as CascaderOption[])}
              placeholder={t('wf.arrivals.form.county')}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="outsideCode"
            label={t('wf.arrivals.form.code')}
            extra={t('wf.arrivals.form.codeHint')}
            rules={[
              { required: true, message: t('wf.arrivals.form.codeInvalid') },
              { pattern: /^\s*\d{6}\s*$/, message: t('wf.arrivals.form.codeInvalid') },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} className="mono" autoComplete="off" />
          </Form.Item>
        )}
        <div className="wf-form-row">
          <Form.Item
            name="arrivedAt"
            label={t('wf.arrivals.form.arrivedAt')}
            rules={[{ required: true, message: t('wf.arrivals.form.required') }]}
          >
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item name="preRegistered" label={t('wf.arrivals.form.preRegistered')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: true, label: t('wf.arrivals.form.yes') },
                { value: false, label: t('wf.arrivals.form.no') },
              ]}
            />
          </Form.Item>
        </div>
        <div className="wf-form-row">
          <Form.Item name="healthCode" label={t('wf.employee.healthCode')}>
            <Select options={HEALTH_CODES.map((value) => ({ value, label: t(`wf.health.${value}`) }))} />
          </Form.Item>
          <Form.Item name="itineraryCode" label={t('wf.employee.itineraryCode')}>
            <Select
              options={ITINERARY_CODES.map((value) => ({ value, label: t(`wf.itinerary.${value}`) }))}
            />
          </Form.Item>
          <Form.Item name="contactStatus" label={t('wf.arrivals.form.contact')}>
            <Select
              options={CONTACT_STATUSES.map((value) => ({ value, label: t(`wf.arrivals.contact.${value}`) }))}
            />
          </Form.Item>
        </div>
        <Form.Item name="negativeTestSampledAt" label={t('wf.arrivals.form.negativeAt')}>
          <Input type="datetime-local" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function useArrivalMutation<T>(run: (input: T) => Promise<Arrival>, done: string, onClose: () => void) {
  const { lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      void message.success(done);
      await queryClient.invalidateQueries({ queryKey: wfKeys.all });
      onClose();
    },
    onError: (error) => void message.error(errorMessage(error, lang)),
  });
}

function CompleteRegistrationDialog({ arrival, onClose }: { arrival: Arrival; onClose: () => void }) {
  const { t } = useI18n();
  const [reference, setReference] = useState('');
  const complete = useArrivalMutation(
    () => workforceApi.completeArrivalRegistration(arrival.id, reference.trim() || null),
    t('wf.arrivals.completed'),
    onClose,
  );
  return (
    <Modal
      open
      title={t('wf.arrivals.completeTitle')}
      onCancel={onClose}
      onOk={() => complete.mutate(undefined)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={complete.isPending}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Text>
          {arrival.name} · {originText(arrival.originCountyCode)}
        </Typography.Text>
        <Form layout="vertical" component="div">
          <Form.Item
            label={t('wf.arrivals.reference')}
            htmlFor="arrival-reference"
            style={{ marginBottom: 0 }}
          >
            <Input
              id="arrival-reference"
              value={reference}
              maxLength={64}
              onChange={(e) => setReference(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

function TestDoneDialog({ arrival, onClose }: { arrival: Arrival; onClose: () => void }) {
  const { t } = useI18n();
  const [sampledAt, setSampledAt] = useState(localInput(new Date()));
  const report = useArrivalMutation(
    () => workforceApi.reportArrivalTest(arrival.id, { sampledAt: instantOf(sampledAt) }),
    t('wf.arrivals.testRecorded'),
    onClose,
  );
  return (
    <Modal
      open
      title={t('wf.arrivals.testDoneTitle')}
      onCancel={onClose}
      onOk={() => report.mutate(undefined)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !sampledAt }}
      confirmLoading={report.isPending}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Text>
          {arrival.name} · {originText(arrival.originCountyCode)}
        </Typography.Text>
        <Typography.Text type="secondary">{t('wf.arrivals.testDoneHint')}</Typography.Text>
        <Form layout="vertical" component="div">
          <Form.Item
            label={t('wf.arrivals.sampledAt')}
            htmlFor="arrival-sampled-at"
            style={{ marginBottom: 0 }}
          >
            <Input
              id="arrival-sampled-at"
              type="datetime-local"
              value={sampledAt}
              onChange={(e) => setSampledAt(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Risk areas

function RiskAreasTab() {
  const { t } = useI18n();
  const me = useMe();
  const mayImport = can(me, 'workforce.manage_risk_areas');
  const [inForce, setInForce] = useState(true);
  const [importing, setImporting] = useState(false);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const onDate = inForce ? today : undefined;
  const areas = useQuery({
    queryKey: arrivalKeys.riskAreas(onDate),
    queryFn: () => workforceApi.riskAreas(onDate),
  });
  const columns: TableColumnsType<RiskArea> = [
    {
      key: 'code',
      title: t('wf.arrivals.riskCode'),
      width: 180,
      render: (_, row) => originText(row.code),
    },
    {
      key: 'level',
      title: t('wf.arrivals.riskLevel'),
      width: 110,
      render: (_, row) => (
        <Tag color={row.level === 'medium' ? 'orange' : 'red'}>{t(`wf.risk.${row.level}`)}</Tag>
      ),
    },
    { key: 'from', title: t('wf.arrivals.riskFrom'), width: 110, dataIndex: 'from' },
    {
      key: 'to',
      title: t('wf.arrivals.riskTo'),
      width: 110,
      render: (_, row) => row.to ?? t('wf.arrivals.riskOpen'),
    },
    { key: 'source', title: t('wf.arrivals.riskSource'), dataIndex: 'source' },
  ];
  return (
    <Card title={t('wf.arrivals.riskTitle')}>
      <Flex vertical gap={16}>
        <Typography.Text type="secondary">{t('wf.arrivals.riskHint')}</Typography.Text>
        <Flex gap={12} wrap="wrap" align="center" justify="space-between">
          <Flex gap={8} align="center">
            <Switch checked={inForce} onChange={setInForce} aria-label={t('wf.arrivals.riskInForce')} />
            <Typography.Text>{t('wf.arrivals.riskInForce')}</Typography.Text>
          </Flex>
          {mayImport ? (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('wf.arrivals.riskImport')}
            </Button>
          ) : null}
        </Flex>
        {areas.isError ? (
          <QueryErrorResult error={areas.error} onRetry={() => void areas.refetch()} />
        ) : (
          <Table<RiskArea>
            rowKey="id"
            size="small"
            loading={areas.isPending}
            columns={columns}
            dataSource={areas.data?.items ?? []}
            pagination={false}
            scroll={{ x: 640 }}
            locale={{ emptyText: <Empty description={t('wf.arrivals.riskEmpty')} /> }}
            data-testid="risk-areas"
          />
        )}
      </Flex>
      <FileImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        title="wf.arrivals.riskImport"
        step1="wf.arrivals.riskImportStep1"
        downloadTemplate={(lang) => workforceApi.riskAreaTemplate(lang)}
        upload={async (file) => ({ imported: (await workforceApi.importRiskAreas(file)).rows })}
        invalidate={['workforce', 'risk-areas']}
      />
    </Card>
  );
}
