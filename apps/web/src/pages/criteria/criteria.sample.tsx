/**
 * Trying the draft in the browser: a sample enterprise (its registry facts and application answers), the
 * result the draft gives it at once — status, the explanation line by line, the service tier — with the same
 * `@sibao/rules` functions and texts the server uses; the draft's rule tests run live, a sample can be saved
 * as a test, and a pre-publish check lists what publishing would refuse. The server still decides.
 */
import { type RuleCond, type RuleTestSchema, type TierTable, WHITELIST_FACTS } from '@sibao/contracts';
import {
  type Catalogue,
  type Cond,
  checkPublishable,
  createParameterStore,
  decide,
  describeTraceEntry,
  evaluate,
  explain,
  henan2022Parameters,
  type ParameterStore,
  type RuleTest,
  runRuleTests,
  validateRule,
} from '@sibao/rules';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import type { I18n } from '../../i18n';
import { type MessageKey, messages } from '../../messages';
import { FACT_NAMES, factDef, tierLabel } from './criteria.rules';

type Test = z.input<typeof RuleTestSchema>;
type Status = 'eligible' | 'ineligible' | 'undetermined';

export interface Sample {
  asOf: string;
  /** Registry facts and answers as entered; derived ones are computed by `factsOf`. */
  facts: Record<string, unknown>;
}

export const catalogue: Catalogue = { facts: WHITELIST_FACTS };

let store: ParameterStore | undefined;
/** The platform's default parameters (a criterion rarely uses one; the server uses the live ones). */
function params(): ParameterStore {
  store ??= createParameterStore(henan2022Parameters);
  return store;
}

const options = (asOf: string) => ({ asOf, catalogue, params: params() });

export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whether the bed ratio is computed from beds and headcount (as the server does) rather than entered. */
function ratioComputed(facts: Record<string, unknown>): boolean {
  return (
    typeof facts.dormitoryBeds === 'number' && typeof facts.headcount === 'number' && facts.headcount > 0
  );
}

/** The sample's facts as the server would build them: what was entered plus the beds-per-employee ratio. */
export function factsOf(sample: Sample): Record<string, unknown> {
  const facts = Object.fromEntries(
    Object.entries(sample.facts).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
  if (ratioComputed(facts))
    facts.dormitoryBedRatio =
      Math.round(((facts.dormitoryBeds as number) / (facts.headcount as number)) * 1000) / 1000;
  return facts;
}

/** The reason the applicant reads for one criterion: the server's own wording (`evaluateCriteria`). */
export function reasonOf(cond: RuleCond, sample: Sample): string {
  try {
    const r = evaluate(cond as Cond, factsOf(sample), options(sample.asOf));
    return 'op' in cond && r.trace[0]
      ? describeTraceEntry(r.trace[0], catalogue, 'zh', r.asOf)
      : explain(r, catalogue).split('\n').slice(1).join('；');
  } catch {
    return '—';
  }
}

const STATUS_TYPE = { eligible: 'success', ineligible: 'error', undetermined: 'warning' } as const;
const statusText = (status: Status, i18n: I18n) => i18n.t(`wl.apply.result.${status}` as MessageKey);

/** One input per fact, fitting its type; "not given" is a real choice (the criteria it feeds stay open). */
function FactInput({
  fact,
  sample,
  onSample,
  i18n,
}: {
  fact: string;
  sample: Sample;
  onSample: (sample: Sample) => void;
  i18n: I18n;
}) {
  const { t, pick } = i18n;
  const def = factDef(fact);
  if (!def) return null;
  const label = pick(def.label);
  const value = sample.facts[fact];
  const set = (next: unknown) => onSample({ ...sample, facts: { ...sample.facts, [fact]: next } });
  if (fact === 'dormitoryBedRatio' && ratioComputed(sample.facts))
    return (
      <Typography.Text type="secondary">
        {t('crit.sample.ratio', { value: String(factsOf(sample).dormitoryBedRatio) })}
      </Typography.Text>
    );
  if (def.type === 'number')
    return (
      <InputNumber<number>
        aria-label={label}
        value={typeof value === 'number' ? value : null}
        onChange={(next) => set(next ?? undefined)}
        suffix={def.unit ? pick(def.unit) : undefined}
        placeholder={t('crit.sample.unset')}
        style={{ width: '100%' }}
      />
    );
  if (def.type === 'boolean')
    return (
      <Select<'yes' | 'no'>
        aria-label={label}
        allowClear
        placeholder={t('crit.sample.unset')}
        value={typeof value === 'boolean' ? (value ? 'yes' : 'no') : undefined}
        onChange={(next) => set(next === undefined ? undefined : next === 'yes')}
        options={[
          { value: 'yes', label: t('crit.yes') },
          { value: 'no', label: t('crit.no') },
        ]}
      />
    );
  if (def.values)
    return (
      <Select<string>
        aria-label={label}
        allowClear
        placeholder={t('crit.sample.unset')}
        value={typeof value === 'string' ? value : undefined}
        onChange={(next) => set(next)}
        options={Object.entries(def.values).map(([key, text]) => ({ value: key, label: pick(text) }))}
      />
    );
  return (
    <Input
      aria-label={label}
      allowClear
      placeholder={t('crit.sample.unset')}
      value={typeof value === 'string' ? value : ''}
      onChange={(event) => set(event.target.value)}
    />
  );
}

/** What publishing would refuse, computed here as the server does (`publishIssues`). */
function publishCheck(rule: RuleCond, tierTable: TierTable, tests: Test[], i18n: I18n): string[] {
  const known = (code: string) => {
    const key = `crit.issue.${code}`;
    return key in messages ? i18n.t(key as MessageKey) : code;
  };
  try {
    const check = checkPublishable(
      { id: 'criteria', when: rule as Cond, tests: tests as RuleTest[] },
      { catalogue, params: params() },
    );
    const lines = check.issues.map((issue) => `${known(issue.code)} rule${issue.path} — ${issue.message}`);
    tierTable.rows.forEach((row, n) => {
      for (const issue of validateRule(row.when as Cond, catalogue, { params: params() }))
        lines.push(`${known(issue.code)} tierTable/rows/${n}${issue.path} — ${issue.message}`);
    });
    if (check.tests.total === 0) lines.push(known('TESTS_REQUIRED'));
    for (const result of check.tests.results)
      if (!result.passed)
        lines.push(`${known('TEST_FAILED')}：${result.name} — ${result.failures.join('; ')}`);
    return lines;
  } catch (error) {
    return [(error as Error).message];
  }
}

export function SamplePanel({
  rule,
  tierTable,
  tests,
  onTests,
  sample,
  onSample,
  readOnly,
  i18n,
}: {
  rule: RuleCond;
  tierTable: TierTable;
  tests: Test[];
  onTests: (tests: Test[]) => void;
  sample: Sample;
  onSample: (sample: Sample) => void;
  readOnly: boolean;
  i18n: I18n;
}) {
  const { t } = i18n;
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const facts = factsOf(sample);

  let result: { status: Status; text: string; tier: string } | { error: string };
  try {
    const r = evaluate(rule as Cond, facts, options(sample.asOf));
    const tier = decide(
      {
        hitPolicy: 'first',
        rows: tierTable.rows.map((row) => ({ when: row.when as Cond, output: row.output })),
        otherwise: tierTable.otherwise,
      },
      facts,
      options(sample.asOf),
    );
    result = {
      status: r.status,
      text: explain(r, catalogue),
      tier:
        tier.status === 'matched' && tier.outputs[0]
          ? t('crit.sample.tier', { tier: tierLabel(tier.outputs[0], i18n) })
          : t('crit.sample.noTier'),
    };
  } catch (error) {
    result = { error: (error as Error).message };
  }

  let report: ReturnType<typeof runRuleTests> | undefined;
  try {
    report = runRuleTests(
      { id: 'criteria', when: rule as Cond, tests: tests as RuleTest[] },
      { catalogue, params: params() },
    );
  } catch {
    report = undefined;
  }
  const problems = publishCheck(rule, tierTable, tests, i18n);
  const existing = tests.findIndex((test) => test.name === name.trim());

  const saveTest = () => {
    if ('error' in result) return;
    const test: Test = {
      name: name.trim(),
      asOf: sample.asOf,
      facts: facts as Test['facts'],
      expect:
        result.status === 'undetermined'
          ? { status: result.status, missing: evaluate(rule as Cond, facts, options(sample.asOf)).missing }
          : { status: result.status },
    };
    onTests(existing >= 0 ? tests.map((old, n) => (n === existing ? test : old)) : [...tests, test]);
    void message.success(t('crit.sample.saved', { name: test.name }));
  };

  return (
    <Card size="small" title={t('crit.sample.title')} data-testid="criteria-sample">
      <Typography.Paragraph type="secondary">{t('crit.sample.hint')}</Typography.Paragraph>
      <Row gutter={[12, 8]}>
        {FACT_NAMES.map((fact) => {
          const def = factDef(fact);
          return (
            <Col key={fact} xs={24} sm={12} lg={8}>
              <div className="crit-field">
                <Typography.Text type="secondary" className="small">
                  {def ? i18n.pick(def.label) : fact}
                </Typography.Text>
                <FactInput fact={fact} sample={sample} onSample={onSample} i18n={i18n} />
              </div>
            </Col>
          );
        })}
        <Col xs={24} sm={12} lg={8}>
          <div className="crit-field">
            <Typography.Text type="secondary" className="small">
              {t('crit.sample.asOf')}
            </Typography.Text>
            <Space.Compact block>
              <Input
                type="date"
                aria-label={t('crit.sample.asOf')}
                value={sample.asOf}
                onChange={(event) => onSample({ ...sample, asOf: event.target.value })}
              />
              <Button onClick={() => onSample({ asOf: sample.asOf, facts: {} })}>
                {t('crit.sample.clear')}
              </Button>
            </Space.Compact>
          </div>
        </Col>
      </Row>

      <section aria-label={t('crit.sample.result')} data-testid="sample-result" style={{ marginTop: 12 }}>
        {'error' in result ? (
          <Alert type="info" showIcon title={t('crit.sample.broken', { error: result.error })} />
        ) : (
          <Alert
            type={STATUS_TYPE[result.status]}
            showIcon
            title={`${t('crit.sample.result')}：${statusText(result.status, i18n)}`}
            description={
              <>
                <pre className="crit-explain">{result.text}</pre>
                <Typography.Text>{result.tier}</Typography.Text>
              </>
            }
          />
        )}
      </section>

      {readOnly ? null : (
        <Space.Compact style={{ marginTop: 12, maxWidth: 520, width: '100%' }}>
          <Input
            aria-label={t('crit.sample.testName')}
            placeholder={t('crit.sample.testName')}
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <Button type="primary" ghost disabled={!name.trim() || 'error' in result} onClick={saveTest}>
            {existing >= 0 ? t('crit.sample.replace') : t('crit.sample.save')}
          </Button>
        </Space.Compact>
      )}

      <Table<Test>
        size="small"
        style={{ marginTop: 12 }}
        data-testid="criteria-test-list"
        rowKey="name"
        pagination={false}
        dataSource={tests}
        locale={{ emptyText: t('crit.tests.none') }}
        columns={[
          { key: 'name', title: t('crit.tests.name'), dataIndex: 'name' },
          {
            key: 'expect',
            title: t('crit.tests.expect'),
            render: (_, test) => statusText(test.expect.status, i18n),
          },
          {
            key: 'actual',
            title: t('crit.tests.actual'),
            render: (_, test) => {
              const found = report?.results.find((row) => row.name === test.name);
              if (!found) return '—';
              return (
                <Space size={4} wrap>
                  <Tag color={found.passed ? 'success' : 'error'}>
                    {found.passed ? t('crit.tests.pass') : t('crit.tests.fail')}
                  </Tag>
                  <span>{statusText(found.actual.status, i18n)}</span>
                </Space>
              );
            },
          },
          {
            key: 'actions',
            title: '',
            render: (_, test) => (
              <Space size={0}>
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    onSample({ asOf: test.asOf, facts: { ...test.facts } });
                    setName(test.name);
                  }}
                >
                  {t('crit.tests.load')}
                </Button>
                {readOnly ? null : (
                  <Button
                    size="small"
                    type="link"
                    danger
                    onClick={() => onTests(tests.filter((other) => other !== test))}
                  >
                    {t('crit.tests.remove')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Alert
        style={{ marginTop: 12 }}
        data-testid="publish-check"
        type={problems.length ? 'warning' : 'success'}
        showIcon
        title={problems.length ? t('crit.check.problems', { n: problems.length }) : t('crit.check.ok')}
        description={
          problems.length ? (
            <ul className="crit-problems">
              {problems.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null
        }
      />
    </Card>
  );
}
