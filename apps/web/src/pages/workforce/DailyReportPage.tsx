/**
 * 今日报告. Enterprise users (phone first): one big 零报告 button when nothing is abnormal, or the anomalies
 * (people with symptoms, sent to a doctor, absent) with the headcount on site; the day's deadline and whether
 * the filing is late; filing again replaces the day's report. Officials: completeness and timeliness of the
 * day's reports by county.
 */
import { CheckCircleOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { DAILY_ANOMALY_KINDS, type DailyReportBodyInput } from '@sibao/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type DailyReport, type DailyReportStats, workforceApi } from '../../api';
import { QueryErrorResult } from '../../components/ErrorResult';
import { errorMessage } from '../../components/forms';
import { useI18n } from '../../i18n';
import { can, useMe } from '../../session';
import { businessToday, formatRatio, useRegionNames } from '../whitelist-manage/common';
import { wfKeys } from './common';
import './workforce.css';

const DEADLINE_PARAMETER = 'workforce.dailyReportDeadline';

export default function DailyReportPage() {
  const me = useMe();
  return can(me, 'workforce.report_daily') ? <EnterpriseReport /> : <ReportStats />;
}

/** The deadline of `date` (HH:MM in Asia/Shanghai from the parameters), as an instant. */
function useDeadline(date: string, filed: DailyReport | undefined): Date | null {
  const parameters = useQuery({ queryKey: ['parameters'], queryFn: api.parameters, staleTime: 300_000 });
  if (filed) return new Date(filed.deadlineAt);
  const value = parameters.data?.items.find((p) => p.key === DEADLINE_PARAMETER)?.current;
  return typeof value === 'string' && /^\d{2}:\d{2}$/.test(value)
    ? new Date(`${date}T${value}:00+08:00`)
    : null;
}

interface AnomalyValues {
  headcountOnSite: number;
  anomalies: { employeeId: string; kind: (typeof DAILY_ANOMALY_KINDS)[number]; note?: string }[];
}

function EnterpriseReport() {
  const { lang, t, dateTime } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const date = businessToday();
  const [mode, setMode] = useState<'zero' | 'anomalies'>('zero');
  const [headcount, setHeadcount] = useState<number | null>(null);
  const [form] = Form.useForm<AnomalyValues>();

  const reports = useQuery({
    queryKey: wfKeys.reports(date),
    queryFn: () => workforceApi.dailyReports(date),
  });
  const filed = reports.data?.items[0];
  const deadline = useDeadline(date, filed);
  const late = deadline !== null && Date.now() > deadline.getTime();
  // The roster's active people: the headcount's starting value and the anomaly form's choices.
  const roster = useQuery({
    queryKey: wfKeys.employees({ status: 'active', picker: true }),
    queryFn: () => workforceApi.employees({ status: 'active' }, { limit: 200 }),
  });
  const onSite = headcount ?? filed?.headcountOnSite ?? roster.data?.total ?? null;

  const file = useMutation({
    mutationFn: (body: DailyReportBodyInput) => workforceApi.fileDailyReport(body),
    onSuccess: async (report) => {
      void message.success(t(report.late ? 'wf.report.filedLate' : 'wf.report.filed'));
      form.resetFields();
      setMode('zero');
      await queryClient.invalidateQueries({ queryKey: wfKeys.all });
    },
    onError: (error) => void message.error(errorMessage(error, lang)),
  });

  const fileZero = () => {
    if (onSite === null) return;
    file.mutate({ kind: 'zero', reportDate: date, headcountOnSite: onSite });
  };

  if (reports.isError)
    return <QueryErrorResult error={reports.error} onRetry={() => void reports.refetch()} />;

  const zeroButton = (
    <Button
      type="primary"
      block
      size="large"
      icon={<CheckCircleOutlined />}
      className="wf-zero-button"
      loading={file.isPending && mode === 'zero'}
      disabled={onSite === null || reports.isPending}
      onClick={filed ? undefined : fileZero}
      data-testid="zero-report"
    >
      {t('wf.report.zero')}
    </Button>
  );

  return (
    <div className="wf-report">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.report.title')}
      </Typography.Title>
      <Flex vertical gap={16}>
        <Card size="small">
          <Flex vertical gap={4}>
            <Typography.Text strong>{t('wf.report.date', { date })}</Typography.Text>
            {deadline ? (
              <Typography.Text className={late && !filed ? 'wf-overdue-deadline' : undefined}>
                {t(late ? 'wf.report.deadlinePassed' : 'wf.report.deadline', {
                  at: dateTime(deadline.toISOString()),
                })}
              </Typography.Text>
            ) : null}
          </Flex>
        </Card>

        {filed ? (
          <Alert
            type={filed.late ? 'warning' : 'success'}
            showIcon
            data-testid="report-filed"
            title={t(filed.kind === 'zero' ? 'wf.report.filedZero' : 'wf.report.filedAnomalies', {
              n: filed.anomalyCount,
            })}
            description={
              <Flex vertical gap={2}>
                <span>
                  {t('wf.report.filedAt', { at: dateTime(filed.filedAt), headcount: filed.headcountOnSite })}
                  {filed.late ? ` · ${t('wf.report.late')}` : ` · ${t('wf.report.onTime')}`}
                  {filed.revision > 1 ? ` · ${t('wf.report.revision', { n: filed.revision })}` : ''}
                </span>
                <span>{t('wf.report.replaceHint')}</span>
              </Flex>
            }
          />
        ) : late ? (
          <Alert type="warning" showIcon title={t('wf.report.lateHint')} />
        ) : null}

        <Card size="small">
          <Flex vertical gap={16}>
            <Flex vertical gap={4}>
              <Typography.Text>{t('wf.report.headcount')}</Typography.Text>
              <InputNumber<number>
                min={0}
                max={1_000_000}
                precision={0}
                value={onSite}
                onChange={(value) => setHeadcount(value)}
                style={{ width: '100%' }}
                size="large"
                inputMode="numeric"
                aria-label={t('wf.report.headcount')}
              />
              <Typography.Text type="secondary" className="small">
                {t('wf.report.headcountHint')}
              </Typography.Text>
            </Flex>
            <Segmented<'zero' | 'anomalies'>
              block
              value={mode}
              onChange={setMode}
              options={[
                { value: 'zero', label: t('wf.report.modeZero') },
                { value: 'anomalies', label: t('wf.report.modeAnomalies') },
              ]}
            />
            {mode === 'zero' ? (
              filed ? (
                <Popconfirm
                  title={t('wf.report.confirmReplace')}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={fileZero}
                >
                  {zeroButton}
                </Popconfirm>
              ) : (
                zeroButton
              )
            ) : (
              <Form<AnomalyValues>
                form={form}
                layout="vertical"
                initialValues={{ anomalies: [{ kind: 'symptoms' }] }}
                onFinish={(values) => {
                  if (onSite === null) return;
                  file.mutate({
                    kind: 'anomalies',
                    reportDate: date,
                    headcountOnSite: onSite,
                    anomalies: values.anomalies.map((a) => ({
                      employeeId: a.employeeId,
                      kind: a.kind,
                      note: a.note?.trim() ? a.note.trim() : null,
                    })),
                  });
                }}
              >
                <Form.List name="anomalies">
                  {(fields, { add, remove }) => (
                    <Flex vertical gap={12}>
                      {fields.map((field, index) => (
                        <Card
                          key={field.key}
                          size="small"
                          title={t('wf.report.person', { n: index + 1 })}
                          extra={
                            fields.length > 1 ? (
                              <Button
                                type="text"
                                size="small"
                                icon={<MinusCircleOutlined />}
                                aria-label={t('wf.report.removePerson')}
                                onClick={() => remove(field.name)}
                              />
                            ) : null
                          }
                        >
                          <Form.Item
                            name={[field.name, 'employeeId']}
                            label={t('wf.report.employee')}
                            rules={[{ required: true, message: t('wf.report.employeeRequired') }]}
                          >
                            <Select
                              showSearch={{ optionFilterProp: 'label' }}
                              loading={roster.isPending}
                              options={(roster.data?.items ?? []).map((e) => ({
                                value: e.id,
                                label: `${e.name} ${e.idNumber.slice(-4)}${e.workUnit ? ` · ${e.workUnit}` : ''}`,
                              }))}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'kind']}
                            label={t('wf.report.kind')}
                            rules={[{ required: true }]}
                          >
                            <Select
                              options={DAILY_ANOMALY_KINDS.map((kind) => ({
                                value: kind,
                                label: t(`wf.anomaly.${kind}`),
                              }))}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'note']}
                            label={t('wf.report.note')}
                            rules={[{ max: 200 }]}
                            style={{ marginBottom: 0 }}
                          >
                            <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={200} />
                          </Form.Item>
                        </Card>
                      ))}
                      <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'symptoms' })}>
                        {t('wf.report.addPerson')}
                      </Button>
                      <AnomalyCounts form={form} />
                      <Button
                        type="primary"
                        size="large"
                        block
                        htmlType="submit"
                        loading={file.isPending}
                        disabled={onSite === null}
                      >
                        {t(filed ? 'wf.report.submitReplace' : 'wf.report.submit')}
                      </Button>
                    </Flex>
                  )}
                </Form.List>
              </Form>
            )}
          </Flex>
        </Card>
      </Flex>
    </div>
  );
}

/** How many people per kind the form holds: the counts the report will carry. */
function AnomalyCounts({ form }: { form: ReturnType<typeof Form.useForm<AnomalyValues>>[0] }) {
  const { t } = useI18n();
  const anomalies = Form.useWatch('anomalies', form) ?? [];
  return (
    <Typography.Text type="secondary">
      {DAILY_ANOMALY_KINDS.map(
        (kind) => `${t(`wf.anomaly.${kind}`)} ${anomalies.filter((a) => a?.kind === kind).length}`,
      ).join('　')}
    </Typography.Text>
  );
}

type StatRow = DailyReportStats['items'][number];

function ReportStats() {
  const { t } = useI18n();
  const { names } = useRegionNames();
  const [params, setParams] = useSearchParams();
  const dateParam = params.get('date');
  const date = dateParam && /^\d{4}-\d{2}-\d{2}$/.test(dateParam) ? dateParam : undefined;
  const stats = useQuery({
    queryKey: wfKeys.stats(date),
    queryFn: () => workforceApi.dailyReportStats(date),
  });
  const items = stats.data?.items ?? [];
  const sum = (pick: (row: StatRow) => number) => items.reduce((total, row) => total + pick(row), 0);
  const expected = sum((row) => row.expected);

  const columns: TableColumnsType<StatRow> = [
    {
      key: 'region',
      title: t('wf.stats.region'),
      render: (_, row) => names.get(row.regionCode) ?? row.regionCode,
    },
    { key: 'expected', title: t('wf.stats.expected'), dataIndex: 'expected', align: 'right' },
    { key: 'reported', title: t('wf.stats.reported'), dataIndex: 'reported', align: 'right' },
    { key: 'onTime', title: t('wf.stats.onTime'), dataIndex: 'onTime', align: 'right' },
    { key: 'zero', title: t('wf.stats.zero'), dataIndex: 'zero', align: 'right', responsive: ['md'] },
    {
      key: 'anomalies',
      title: t('wf.stats.anomalies'),
      dataIndex: 'anomalies',
      align: 'right',
      responsive: ['md'],
    },
    {
      key: 'completeness',
      title: t('wf.stats.completeness'),
      align: 'right',
      render: (_, row) => formatRatio(row.completeness),
    },
    {
      key: 'timeliness',
      title: t('wf.stats.timeliness'),
      align: 'right',
      render: (_, row) => formatRatio(row.timeliness),
    },
  ];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('wf.stats.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('wf.stats.hint')}</Typography.Paragraph>
      <Card>
        <Flex vertical gap={16}>
          <Flex gap={8} align="center" wrap="wrap">
            <Typography.Text>{t('wf.stats.date')}</Typography.Text>
            <Input
              type="date"
              aria-label={t('wf.stats.date')}
              value={date ?? stats.data?.date ?? ''}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                if (event.target.value) next.set('date', event.target.value);
                else next.delete('date');
                setParams(next, { replace: true });
              }}
              style={{ width: 170 }}
            />
          </Flex>
          {stats.isError ? (
            <QueryErrorResult error={stats.error} onRetry={() => void stats.refetch()} />
          ) : (
            <>
              <Typography.Text data-testid="stats-summary">
                {t('wf.stats.summary', {
                  reported: sum((row) => row.reported),
                  expected,
                  onTime: sum((row) => row.onTime),
                  completeness: formatRatio(expected ? sum((row) => row.reported) / expected : 0),
                })}
              </Typography.Text>
              <Table<StatRow>
                rowKey="regionCode"
                size="small"
                loading={stats.isPending}
                columns={columns}
                dataSource={items}
                pagination={false}
                data-testid="report-stats"
              />
            </>
          )}
        </Flex>
      </Card>
    </div>
  );
}
