/**
 * The draft editor: title and management text as fields; the rule, the tier decision table and the rule
 * tests as JSON checked live against the contracts' schemas and the fact catalogue, each beside a readable
 * preview. Shape errors block saving (the server would refuse them too); catalogue problems (an unknown
 * fact, an operator that does not fit) are flagged but a draft may be saved with them — publishing refuses.
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
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { registryApi } from '../../api';
import { applyFieldErrors, errorMessage } from '../../components/forms';
import { type I18n, useI18n } from '../../i18n';
import {
  type Checked,
  catalogueProblems,
  checkJson,
  draftTemplate,
  RuleCondSchema,
  RuleView,
  TestsSchema,
  TierTableSchema,
  tierLabel,
} from './criteria.rules';

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

  const rule = useMemo(() => checkJson(ruleText, RuleCondSchema, t), [ruleText, t]);
  const tier = useMemo(() => checkJson(tierText, TierTableSchema, t), [tierText, t]);
  const tests = useMemo(() => checkJson(testsText, TestsSchema, t), [testsText, t]);
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
          <Typography.Paragraph type="secondary">{t('crit.jsonHint')}</Typography.Paragraph>
          <JsonSection
            label={t('crit.rule')}
            testId="criteria-rule"
            text={ruleText}
            onChange={setRuleText}
            checked={rule}
            readOnly={readOnly}
            preview={rule.value ? <RuleView cond={rule.value} i18n={i18n} /> : null}
          />
          <JsonSection
            label={t('crit.tierTable')}
            testId="criteria-tiers"
            text={tierText}
            onChange={setTierText}
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
                  <li>{t('crit.tierOtherwise', { tier: tierLabel(tier.value.otherwise, i18n) })}</li>
                </ol>
              ) : null
            }
          />
          <JsonSection
            label={t('crit.tests')}
            testId="criteria-tests"
            text={testsText}
            onChange={setTestsText}
            checked={tests}
            readOnly={readOnly}
            preview={tests.value ? <TestsPreview tests={tests.value} i18n={i18n} /> : null}
          />
          <Form.Item name="managementText" label={t('crit.management')}>
            <Input.TextArea rows={6} maxLength={20_000} showCount />
          </Form.Item>
        </Form>
        <FactCatalogue i18n={i18n} />
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
