/**
 * The draft editor. Officials build the criteria in a form (criteria list, tier decision table) or, under
 * "advanced", as JSON checked live against the contracts' schemas and the fact catalogue beside a readable
 * preview; both views edit one document and stay in step (the JSON feeds the form whenever it is valid).
 * Below, a sample enterprise tries the draft and the rule tests run live. Shape errors block saving (the
 * server would refuse them too); catalogue problems (an unknown fact, an operator that does not fit) are
 * flagged but a draft may be saved with them — publishing refuses.
 */
import { type Criteria, type Sector, WHITELIST_FACTS } from '@sibao/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Collapse,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Row,
  Space,
  Tabs,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { registryApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { type I18n, useI18n } from '../../i18n';
import { RuleBuilder, TierBuilder } from './CriteriaBuilder';
import {
  type Checked,
  catalogueProblems,
  checkJson,
  draftTemplate,
  type RuleCond,
  RuleCondSchema,
  RuleView,
  TestsSchema,
  TierTableSchema,
  tierLabel,
} from './criteria.rules';
import { type Sample, SamplePanel, todayIso } from './criteria.sample';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

interface TextFields {
  title: string;
  managementText: string;
}

export function CriteriaEditor({
  sector,
  draft,
  from,
  readOnly,
  onClose,
}: {
  sector: Sector;
  /** The draft being edited (or the version being viewed); absent for a new draft. */
  draft?: Criteria | undefined;
  /** The version a new draft copies. */
  from?: Criteria | undefined;
  readOnly: boolean;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { lang, t } = i18n;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const start = draftTemplate(draft ?? from);
  const [form] = Form.useForm<TextFields>();
  const [ruleText, setRuleText] = useState(() => pretty(start.rule));
  const [tierText, setTierText] = useState(() => pretty(start.tierTable));
  const [testsText, setTestsText] = useState(() => pretty(start.tests));
  // The document the form shows: what the form last produced, or the JSON's last valid content.
  const [doc, setDoc] = useState(() => ({
    rule: start.rule,
    tierTable: start.tierTable,
    tests: start.tests,
  }));
  const [sample, setSample] = useState<Sample>(() => {
    const first = start.tests[0];
    return first ? { asOf: first.asOf, facts: { ...first.facts } } : { asOf: todayIso(), facts: {} };
  });
  const [tab, setTab] = useState<'form' | 'json'>('form');
  // Which JSON boxes hold text the form cannot show (invalid): the form then shows their last valid content.
  const [stale, setStale] = useState({ rule: false, tierTable: false, tests: false });
  const rule = useMemo(() => checkJson(ruleText, RuleCondSchema, t), [ruleText, t]);
  const tier = useMemo(() => checkJson(tierText, TierTableSchema, t), [tierText, t]);
  const tests = useMemo(() => checkJson(testsText, TestsSchema, t), [testsText, t]);
  // The form writes the document and its JSON; valid JSON typed under "advanced" writes the document.
  const formRule = (next: RuleCond) => {
    setDoc((now) => ({ ...now, rule: next }));
    setStale((now) => ({ ...now, rule: false }));
    setRuleText(pretty(next));
  };
  const formTier = (next: typeof doc.tierTable) => {
    setDoc((now) => ({ ...now, tierTable: next }));
    setStale((now) => ({ ...now, tierTable: false }));
    setTierText(pretty(next));
  };
  const formTests = (next: typeof doc.tests) => {
    setDoc((now) => ({ ...now, tests: next }));
    setStale((now) => ({ ...now, tests: false }));
    setTestsText(pretty(next));
  };
  const jsonRule = (text: string) => {
    setRuleText(text);
    const checked = checkJson(text, RuleCondSchema, t);
    if (checked.value) setDoc((now) => ({ ...now, rule: checked.value as RuleCond }));
    setStale((now) => ({ ...now, rule: checked.value === undefined }));
  };
  const jsonTier = (text: string) => {
    setTierText(text);
    const checked = checkJson(text, TierTableSchema, t);
    if (checked.value) setDoc((now) => ({ ...now, tierTable: checked.value as typeof doc.tierTable }));
    setStale((now) => ({ ...now, tierTable: checked.value === undefined }));
  };
  const jsonTests = (text: string) => {
    setTestsText(text);
    const checked = checkJson(text, TestsSchema, t);
    if (checked.value) setDoc((now) => ({ ...now, tests: checked.value as typeof doc.tests }));
    setStale((now) => ({ ...now, tests: checked.value === undefined }));
  };
  const warnings = [
    ...(rule.value ? catalogueProblems(rule.value, 'rule', t) : []),
    ...(tier.value?.rows.flatMap((row, n) => catalogueProblems(row.when, `tierTable/rows/${n}`, t)) ?? []),
  ];
  const valid = rule.value !== undefined && tier.value !== undefined && tests.value !== undefined;

  const save = useMutation({
    mutationFn: (fields: TextFields) => {
      if (!rule.value || !tier.value || !tests.value) throw new Error('invalid');
      const body = {
        title: fields.title.trim(),
        managementText: fields.managementText?.trim() ?? '',
        rule: rule.value,
        tierTable: tier.value,
        tests: tests.value,
      };
      return draft
        ? registryApi.updateCriteria(draft.id, body)
        : registryApi.createCriteria({ sector, ...body });
    },
    onSuccess: () => {
      void message.success(t('crit.saved'));
      void queryClient.invalidateQueries({ queryKey: ['criteria', sector] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, ['title', 'managementText']),
  });

  const title = draft ? t('crit.version', { version: draft.version }) : t('crit.new');
  return (
    <Drawer
      open
      onClose={onClose}
      title={title}
      size={screens.lg ? 1100 : '100%'}
      destroyOnHidden
      extra={
        readOnly ? null : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" disabled={!valid} loading={save.isPending} onClick={() => form.submit()}>
              {t('reg.save')}
            </Button>
          </Space>
        )
      }
    >
      <Flex vertical gap={12}>
        {save.error ? <Alert type="error" showIcon title={errorMessage(save.error, lang)} /> : null}
        {!valid && !readOnly ? <Alert type="error" showIcon title={t('crit.fixFirst')} /> : null}
        {warnings.length ? (
          <Alert
            type="warning"
            showIcon
            data-testid="criteria-warnings"
            title={t('crit.catalogueWarning')}
            description={
              <ul className="crit-problems">
                {warnings.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            }
          />
        ) : null}
        <Form<TextFields>
          form={form}
          name="criteria"
          layout="vertical"
          disabled={readOnly}
          initialValues={{ title: start.title, managementText: start.managementText }}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item
            name="title"
            label={t('crit.titleField')}
            rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('crit.titleRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Tabs
            activeKey={tab}
            onChange={(key) => setTab(key === 'json' ? 'json' : 'form')}
            items={[
              {
                key: 'form',
                label: t('crit.tab.form'),
                children: (
                  <Flex vertical gap={16}>
                    {stale.rule || stale.tierTable || stale.tests ? (
                      <Alert type="warning" showIcon title={t('crit.form.jsonInvalid')} />
                    ) : null}
                    <RuleBuilder
                      rule={doc.rule}
                      onChange={formRule}
                      sample={sample}
                      readOnly={readOnly}
                      i18n={i18n}
                    />
                    <TierBuilder table={doc.tierTable} onChange={formTier} readOnly={readOnly} i18n={i18n} />
                  </Flex>
                ),
              },
              {
                key: 'json',
                label: t('crit.tab.json'),
                children: (
                  <>
                    <Typography.Paragraph type="secondary">{t('crit.jsonHint')}</Typography.Paragraph>
                    <JsonSection
                      label={t('crit.rule')}
                      testId="criteria-rule"
                      text={ruleText}
                      onChange={jsonRule}
                      checked={rule}
                      readOnly={readOnly}
                      preview={rule.value ? <RuleView cond={rule.value} i18n={i18n} /> : null}
                    />
                    <JsonSection
                      label={t('crit.tierTable')}
                      testId="criteria-tiers"
                      text={tierText}
                      onChange={jsonTier}
                      checked={tier}
                      readOnly={readOnly}
                      rows={8}
                      preview={
                        tier.value ? (
                          <ol className="crit-tiers">
                            {tier.value.rows.map((row, n) => (
                              // biome-ignore lint/suspicious/noArrayIndexKey: table rows are ordered and have no id
                              <li key={n}>
                                <RuleView cond={row.when} i18n={i18n} /> →{' '}
                                <strong>{tierLabel(row.output, i18n)}</strong>
                              </li>
                            ))}
                            <li>
                              {t('crit.tierOtherwise', { tier: tierLabel(tier.value.otherwise, i18n) })}
                            </li>
                          </ol>
                        ) : null
                      }
                    />
                    <JsonSection
                      label={t('crit.tests')}
                      testId="criteria-tests"
                      text={testsText}
                      onChange={jsonTests}
                      checked={tests}
                      readOnly={readOnly}
                      preview={tests.value ? <TestsPreview tests={tests.value} i18n={i18n} /> : null}
                    />
                    <FactCatalogue i18n={i18n} />
                  </>
                ),
              },
            ]}
          />
          <Form.Item name="managementText" label={t('crit.management')}>
            <Input.TextArea rows={6} maxLength={20_000} showCount />
          </Form.Item>
        </Form>
        <SamplePanel
          rule={doc.rule}
          tierTable={doc.tierTable}
          tests={doc.tests}
          onTests={formTests}
          sample={sample}
          onSample={setSample}
          readOnly={readOnly}
          i18n={i18n}
        />
      </Flex>
    </Drawer>
  );
}

function JsonSection<T>({
  label,
  testId,
  text,
  onChange,
  checked,
  readOnly,
  preview,
  rows = 14,
}: {
  label: string;
  testId: string;
  text: string;
  onChange: (text: string) => void;
  checked: Checked<T>;
  readOnly: boolean;
  preview: React.ReactNode;
  rows?: number;
}) {
  const { t } = useI18n();
  return (
    <Form.Item
      label={label}
      validateStatus={checked.errors.length ? 'error' : undefined}
      help={checked.errors.length ? checked.errors.join('；') : undefined}
    >
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Input.TextArea
            aria-label={label}
            data-testid={testId}
            className="mono crit-json"
            rows={rows}
            value={text}
            readOnly={readOnly}
            spellCheck={false}
            onChange={(event) => onChange(event.target.value)}
          />
        </Col>
        <Col xs={24} lg={12}>
          <section className="crit-preview" aria-label={`${label} · ${t('crit.preview')}`}>
            {preview}
          </section>
        </Col>
      </Row>
    </Form.Item>
  );
}

function TestsPreview({
  tests,
  i18n,
}: {
  tests: { name: string; expect: { status: string } }[];
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <div>
      <Typography.Text type="secondary">{t('crit.testCount', { n: tests.length })}</Typography.Text>
      <ul>
        {tests.map((test) => (
          <li key={test.name}>
            {t('crit.testRow', {
              name: test.name,
              status: t(
                `wl.apply.result.${test.expect.status as 'eligible' | 'ineligible' | 'undetermined'}`,
              ),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The facts a rule may use, with their type, unit and allowed values: what authors copy names from. */
function FactCatalogue({ i18n }: { i18n: I18n }) {
  const { t, pick } = i18n;
  return (
    <Collapse
      items={[
        {
          key: 'facts',
          label: t('crit.facts'),
          children: (
            <ul className="crit-facts">
              {Object.entries(WHITELIST_FACTS).map(([name, def]) => (
                <li key={name}>
                  <span className="mono">{name}</span>（{def.type}）{pick(def.label)}
                  {'unit' in def ? `，${pick(def.unit)}` : ''}
                  {'values' in def ? `：${Object.keys(def.values).join(' / ')}` : ''}
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}
