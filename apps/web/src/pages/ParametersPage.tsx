import { FileTextOutlined, SearchOutlined } from '@ant-design/icons';
import type { Parameter, ParameterValue, ParameterVersion } from '@sibao/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Flex, Input, Table, type TableColumnsType, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { QueryErrorResult } from '../components/ErrorResult';
import { type I18n, useI18n } from '../i18n';
import type { Label } from '../messages';

/** Units the parameter registry uses (packages/rules); anything else is shown as the server wrote it. */
const UNITS: Record<string, Label> = {
  hour: { zh: '小时', en: 'h' },
  day: { zh: '天', en: 'days' },
  perDay: { zh: '次/天', en: 'per day' },
  person: { zh: '人', en: 'people' },
};

/** Today in Beijing, as YYYY-MM-DD. */
function todayInBeijing(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function day(value: string): string {
  return value.slice(0, 10);
}

/** The version in force on `date` (valid from `from`, up to but not including `to`). */
function versionInForce(parameter: Parameter, date: string): ParameterVersion | undefined {
  return parameter.versions.find(
    (version) => day(version.from) <= date && (version.to === null || date < day(version.to)),
  );
}

/** One scalar in its unit: `48 小时`, `70%`, `2022-05-31`, `1,000 人`. */
function formatScalar(value: number | string | boolean, unit: string | null, { lang, pick }: I18n): string {
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  if (unit === 'ratio') return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 2 })}%`;
  const text = value.toLocaleString(locale);
  const known = unit ? UNITS[unit] : undefined;
  if (known) return `${text} ${pick(known)}`;
  return unit && unit !== 'date' ? `${text} ${unit}` : text;
}

/** A value as lines: one for a scalar, one per named part (`流动性、接触性岗位：24 小时`). */
function formatValue(value: ParameterValue, parameter: Parameter, i18n: I18n): string[] {
  if (typeof value !== 'object') return [formatScalar(value, parameter.unit, i18n)];
  return Object.entries(value).map(([part, partValue]) => {
    const label = parameter.parts?.[part];
    const name = label ? i18n.pick(label) : part;
    return `${name}${i18n.lang === 'zh' ? '：' : ': '}${formatScalar(partValue, parameter.unit, i18n)}`;
  });
}

function ValueLines({ lines, strong }: { lines: string[]; strong?: boolean }) {
  return (
    <Flex vertical>
      {lines.map((line) => (
        <Typography.Text key={line} strong={strong} className="param-value">
          {line}
        </Typography.Text>
      ))}
    </Flex>
  );
}

/** `《河南省“四保”企业(项目)疫情防控工作指南》二(一)`. */
function sourceText(source: ParameterVersion['source']): string {
  return `《${source.doc}》${source.section}`;
}

export default function ParametersPage() {
  const i18n = useI18n();
  const { t, pick } = i18n;
  const [search, setSearch] = useState('');
  const parameters = useQuery({ queryKey: ['parameters'], queryFn: api.parameters });

  if (parameters.isError) {
    return <QueryErrorResult error={parameters.error} onRetry={() => void parameters.refetch()} />;
  }

  const today = todayInBeijing();
  const needle = search.trim().toLowerCase();
  const rows = (parameters.data?.items ?? []).filter(
    (parameter) =>
      needle === '' ||
      parameter.key.toLowerCase().includes(needle) ||
      parameter.label.zh.includes(needle) ||
      (parameter.label.en ?? '').toLowerCase().includes(needle),
  );

  const columns: TableColumnsType<Parameter> = [
    {
      key: 'label',
      title: t('parameters.label'),
      render: (_, parameter) => (
        <Flex vertical>
          <Typography.Text strong>{pick(parameter.label)}</Typography.Text>
          <Typography.Text type="secondary" className="mono small">
            {parameter.key}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'current',
      title: t('parameters.current'),
      width: 260,
      render: (_, parameter) =>
        parameter.current === null ? (
          <Tag>{t('parameters.notInForce')}</Tag>
        ) : (
          <ValueLines lines={formatValue(parameter.current, parameter, i18n)} strong />
        ),
    },
    {
      key: 'source',
      title: t('parameters.source'),
      responsive: ['md'],
      render: (_, parameter) => {
        const version = versionInForce(parameter, today);
        return version ? (
          <Typography.Text>
            <FileTextOutlined /> {sourceText(version.source)}
          </Typography.Text>
        ) : (
          '—'
        );
      },
    },
    {
      key: 'versions',
      title: t('parameters.versions'),
      width: 90,
      align: 'right',
      responsive: ['sm'],
      render: (_, parameter) => parameter.versions.length,
    },
  ];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('parameters.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('parameters.hint')}</Typography.Paragraph>
      <Card>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('parameters.search')}
          aria-label={t('parameters.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          style={{ maxWidth: 360, marginBottom: 16 }}
        />
        <Table<Parameter>
          rowKey="key"
          size="middle"
          loading={parameters.isPending}
          columns={columns}
          dataSource={rows}
          pagination={false}
          expandable={{
            expandedRowRender: (parameter) => (
              <ParameterTimeline parameter={parameter} today={today} i18n={i18n} />
            ),
            rowExpandable: (parameter) => parameter.versions.length > 0,
          }}
        />
      </Card>
    </div>
  );
}

function ParameterTimeline({ parameter, today, i18n }: { parameter: Parameter; today: string; i18n: I18n }) {
  const { t } = i18n;
  const inForce = versionInForce(parameter, today);
  const versions = [...parameter.versions].sort((a, b) => a.from.localeCompare(b.from));
  return (
    <div className="param-timeline">
      <Typography.Text type="secondary">{t('parameters.timeline')}</Typography.Text>
      <Timeline
        style={{ marginTop: 12 }}
        items={versions.map((version) => ({
          key: `${version.from}-${version.revision}`,
          color: version === inForce ? 'green' : 'gray',
          title:
            version.to === null
              ? t('parameters.from', { from: day(version.from) })
              : t('parameters.fromTo', { from: day(version.from), to: day(version.to) }),
          content: (
            <Flex vertical gap={2}>
              <ValueLines lines={formatValue(version.value, parameter, i18n)} strong />
              <Typography.Text type="secondary">
                <FileTextOutlined /> {sourceText(version.source)} ·{' '}
                {t('parameters.revision', { n: version.revision })}
              </Typography.Text>
            </Flex>
          ),
        }))}
      />
    </div>
  );
}
