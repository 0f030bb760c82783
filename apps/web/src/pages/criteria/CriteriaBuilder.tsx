/**
 * The criteria as a form, for officials who do not write JSON: a list of criteria (a name, the fact it
 * looks at, an operator that fits the fact's type, a value input that fits too, and the explanation the
 * applicant sees when it is not met), and the service-tier decision table as rows of conditions. Both edit
 * the same rule document the JSON view shows; a composite condition (any / not) stays as it is, shown
 * readably, for the JSON view to change.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type RuleCond, SERVICE_TIERS, type ServiceTier, type TierTable } from '@sibao/contracts';
import { Button, Card, Empty, Flex, Input, InputNumber, Segmented, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { I18n } from '../../i18n';
import type { MessageKey } from '../../messages';
import {
  type Atom,
  atomIds,
  criteriaOf,
  FACT_NAMES,
  type FormOp,
  factDef,
  formOpOf,
  hasParam,
  idProblem,
  isAtom,
  newAtom,
  operandOf,
  opsFor,
  RuleView,
  tierLabel,
  tierRowAtoms,
  tierRowWhen,
  valueMissing,
  withFact,
  withOp,
} from './criteria.rules';
import { reasonOf, type Sample } from './criteria.sample';

/** A labelled control: the label above, the problem (if any) below. */
function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="crit-field">
      <Typography.Text type="secondary" className="small">
        {label}
      </Typography.Text>
      {children}
      {error ? (
        <Typography.Text type="danger" className="small" role="alert">
          {error}
        </Typography.Text>
      ) : null}
    </div>
  );
}

const SOURCES = ['answer', 'enterprise', 'derived'] as const;

/** The facts grouped by where they come from: the application's answers, the registry, computed. */
function factOptions(i18n: I18n) {
  return SOURCES.map((source) => ({
    label: i18n.t(`crit.form.source.${source}`),
    title: i18n.t(`crit.form.source.${source}`),
    options: FACT_NAMES.filter((name) => factDef(name)?.source === source).map((name) => {
      const def = factDef(name);
      return { value: name, label: def ? i18n.pick(def.label) : name };
    }),
  }));
}

const opLabel = (op: FormOp, i18n: I18n) =>
  i18n.t(op === 'filled' ? 'crit.form.op.filled' : (`crit.op.${op}` as MessageKey));

type Operand = string | number | boolean | undefined;

/** The value input that fits the fact's type and the operator's operand. */
function ValueInput({
  atom,
  onChange,
  readOnly,
  i18n,
}: {
  atom: Atom;
  onChange: (atom: Atom) => void;
  readOnly: boolean;
  i18n: I18n;
}) {
  const { t, pick } = i18n;
  const def = factDef(atom.fact);
  const op = formOpOf(atom);
  const shape = operandOf(op);
  const label = t('crit.form.value');
  if (shape === 'none') return <Typography.Text type="secondary">—</Typography.Text>;
  if (hasParam(atom.value))
    return (
      <Typography.Text code>
        {t('crit.form.paramValue', { value: JSON.stringify(atom.value) })}
      </Typography.Text>
    );
  const set = (value: Atom['value']) => onChange({ ...atom, value });
  const unit = atom.op === 'daysSinceLte' ? t('crit.form.days') : def?.unit ? pick(def.unit) : undefined;
  const values = def?.values
    ? Object.entries(def.values).map(([value, text]) => ({ value, label: pick(text) }))
    : undefined;

  const one = (value: Operand, change: (value: Operand) => void, aria: string) => {
    if (def?.type === 'number' || atom.op === 'daysSinceLte')
      return (
        <InputNumber<number>
          aria-label={aria}
          value={typeof value === 'number' ? value : null}
          onChange={(next) => change(next ?? undefined)}
          suffix={unit}
          disabled={readOnly}
          style={{ width: '100%' }}
        />
      );
    if (def?.type === 'boolean')
      return (
        <Select<'yes' | 'no'>
          aria-label={aria}
          value={typeof value === 'boolean' ? (value ? 'yes' : 'no') : undefined}
          onChange={(next) => change(next === 'yes')}
          disabled={readOnly}
          options={[
            { value: 'yes', label: t('crit.yes') },
            { value: 'no', label: t('crit.no') },
          ]}
        />
      );
    if (values)
      return (
        <Select<string>
          aria-label={aria}
          value={typeof value === 'string' ? value : undefined}
          onChange={change}
          disabled={readOnly}
          options={values}
        />
      );
    return (
      <Input
        aria-label={aria}
        type={def?.type === 'date' ? 'date' : 'text'}
        value={value === undefined ? '' : String(value)}
        onChange={(event) => change(event.target.value)}
        disabled={readOnly}
      />
    );
  };

  if (shape === 'range') {
    const [low, high] = Array.isArray(atom.value) ? atom.value : [];
    return (
      <Space.Compact block>
        {one(low as Operand, (next) => set([next, high] as Atom['value']), `${label} 1`)}
        <Input className="crit-range-to" value={t('crit.form.to')} disabled tabIndex={-1} aria-hidden />
        {one(high as Operand, (next) => set([low, next] as Atom['value']), `${label} 2`)}
      </Space.Compact>
    );
  }
  if (shape === 'list') {
    const list = (Array.isArray(atom.value) ? atom.value : []) as (string | number)[];
    return (
      <Select<(string | number)[]>
        aria-label={label}
        mode={values ? 'multiple' : 'tags'}
        value={list}
        disabled={readOnly}
        onChange={(next) =>
          set(def?.type === 'number' ? next.map(Number).filter((n) => Number.isFinite(n)) : next)
        }
        options={values}
        style={{ width: '100%' }}
      />
    );
  }
  return one(atom.value as Operand, (next) => set(next), label);
}

/** One condition's fields: name, fact, operator, value. */
export function AtomFields({
  atom,
  onChange,
  ids,
  readOnly,
  i18n,
}: {
  atom: Atom;
  onChange: (atom: Atom) => void;
  /** Every atom id of the same rule (this one's included), to keep ids unique. */
  ids: string[];
  readOnly: boolean;
  i18n: I18n;
}) {
  const { t } = i18n;
  const op = formOpOf(atom);
  return (
    <div className="crit-atom">
      <Field
        label={t('crit.form.label')}
        error={idProblem(atom.id, ids.filter((id) => id === atom.id).length > 1, t)}
      >
        <Input
          aria-label={t('crit.form.label')}
          value={atom.id}
          maxLength={64}
          disabled={readOnly}
          onChange={(event) => onChange({ ...atom, id: event.target.value.replace(/[\s/]/g, '') })}
        />
      </Field>
      <Field label={t('crit.form.fact')}>
        <Select<string>
          aria-label={t('crit.form.fact')}
          value={atom.fact}
          disabled={readOnly}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(fact) => onChange(withFact(atom, fact, ids))}
          options={factOptions(i18n)}
          popupMatchSelectWidth={false}
        />
      </Field>
      <Field label={t('crit.form.op')}>
        <Select<FormOp>
          aria-label={t('crit.form.op')}
          value={op}
          disabled={readOnly}
          onChange={(next) => onChange(withOp(atom, next))}
          options={opsFor(atom.fact, op).map((value) => ({ value, label: opLabel(value, i18n) }))}
        />
      </Field>
      <Field
        label={t('crit.form.value')}
        error={valueMissing(atom) && !readOnly ? t('crit.form.valueMissing') : undefined}
      >
        <ValueInput atom={atom} onChange={onChange} readOnly={readOnly} i18n={i18n} />
      </Field>
    </div>
  );
}

/** Buttons to move an item up or down and remove it. */
function ItemActions({
  index,
  count,
  move,
  remove,
  i18n,
}: {
  index: number;
  count: number;
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
  i18n: I18n;
}) {
  const { t } = i18n;
  return (
    <Space size={0}>
      <Button
        size="small"
        type="text"
        icon={<ArrowUpOutlined />}
        aria-label={t('crit.form.up')}
        disabled={index === 0}
        onClick={() => move(index, index - 1)}
      />
      <Button
        size="small"
        type="text"
        icon={<ArrowDownOutlined />}
        aria-label={t('crit.form.down')}
        disabled={index === count - 1}
        onClick={() => move(index, index + 1)}
      />
      <Button
        size="small"
        type="text"
        danger
        icon={<DeleteOutlined />}
        aria-label={t('crit.form.remove')}
        onClick={() => remove(index)}
      />
    </Space>
  );
}

function moved<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** The criteria: the top-level `all` of the rule, one card each. */
export function RuleBuilder({
  rule,
  onChange,
  sample,
  readOnly,
  i18n,
}: {
  rule: RuleCond;
  onChange: (rule: RuleCond) => void;
  sample: Sample;
  readOnly: boolean;
  i18n: I18n;
}) {
  const { t } = i18n;
  const items = criteriaOf(rule);
  const ids = atomIds(rule);
  const update = (next: RuleCond[]) => onChange({ all: next });
  const add = () => {
    const used = new Set(items.flatMap((item) => (isAtom(item) ? [item.fact] : [])));
    const fact =
      FACT_NAMES.find((name) => factDef(name)?.source === 'answer' && !used.has(name)) ?? 'headcount';
    update([...items, newAtom(fact, ids)]);
  };
  return (
    <section aria-label={t('crit.form.criteria')} data-testid="criteria-builder">
      <Typography.Title level={5}>{t('crit.form.criteria')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('crit.form.criteriaHint')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('crit.form.empty')} />
        ) : null}
        {items.map((item, index) => (
          <Card
            // biome-ignore lint/suspicious/noArrayIndexKey: criteria are ordered and their ids are edited
            key={index}
            size="small"
            data-testid="criterion"
            title={
              <Space>
                <span>{t('crit.form.item', { n: index + 1 })}</span>
                {isAtom(item) ? <Typography.Text type="secondary">{item.id}</Typography.Text> : null}
              </Space>
            }
            extra={
              readOnly ? null : (
                <ItemActions
                  index={index}
                  count={items.length}
                  move={(from, to) => update(moved(items, from, to))}
                  remove={(at) => update(items.filter((_, n) => n !== at))}
                  i18n={i18n}
                />
              )
            }
          >
            {isAtom(item) ? (
              <AtomFields
                atom={item}
                onChange={(atom) => update(items.map((old, n) => (n === index ? atom : old)))}
                ids={ids}
                readOnly={readOnly}
                i18n={i18n}
              />
            ) : (
              <div>
                <Typography.Text type="secondary">{t('crit.form.composite')}</Typography.Text>
                <div className="crit-preview">
                  <RuleView cond={item} i18n={i18n} />
                </div>
              </div>
            )}
            <div className="crit-reason" data-testid="criterion-reason">
              <Typography.Text type="secondary" className="small">
                {t('crit.form.reason')}：
              </Typography.Text>{' '}
              <span>{reasonOf(item, sample)}</span>
            </div>
          </Card>
        ))}
        {readOnly ? null : (
          <Button icon={<PlusOutlined />} onClick={add} block type="dashed">
            {t('crit.form.add')}
          </Button>
        )}
      </Flex>
    </section>
  );
}

/** The service-tier decision table: rows of conditions, each giving a tier; the first that holds wins. */
export function TierBuilder({
  table,
  onChange,
  readOnly,
  i18n,
}: {
  table: TierTable;
  onChange: (table: TierTable) => void;
  readOnly: boolean;
  i18n: I18n;
}) {
  const { t } = i18n;
  const tierOptions = SERVICE_TIERS.map((value) => ({ value, label: tierLabel(value, i18n) }));
  const setRows = (rows: TierTable['rows']) => onChange({ ...table, rows });
  const setRow = (index: number, row: TierTable['rows'][number]) =>
    setRows(table.rows.map((old, n) => (n === index ? row : old)));
  return (
    <section aria-label={t('crit.form.tiers')} data-testid="tier-builder">
      <Typography.Title level={5}>{t('crit.form.tiers')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('crit.form.tiersHint')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {table.rows.map((row, index) => {
          const editable = tierRowAtoms(row.when);
          const ids = atomIds(row.when);
          return (
            <Card
              // biome-ignore lint/suspicious/noArrayIndexKey: table rows are ordered and have no id
              key={index}
              size="small"
              data-testid="tier-row"
              title={t('crit.form.tierRow', { n: index + 1 })}
              extra={
                readOnly ? null : (
                  <ItemActions
                    index={index}
                    count={table.rows.length}
                    move={(from, to) => setRows(moved(table.rows, from, to))}
                    remove={(at) => setRows(table.rows.filter((_, n) => n !== at))}
                    i18n={i18n}
                  />
                )
              }
            >
              <Flex vertical gap={8}>
                {editable ? (
                  <>
                    {editable.atoms.length > 1 ? (
                      <Segmented<'all' | 'any'>
                        value={editable.match}
                        disabled={readOnly}
                        onChange={(match) =>
                          setRow(index, { ...row, when: tierRowWhen(match, editable.atoms) })
                        }
                        options={[
                          { value: 'all', label: t('crit.form.tierMatch.all') },
                          { value: 'any', label: t('crit.form.tierMatch.any') },
                        ]}
                      />
                    ) : null}
                    {editable.atoms.map((atom, n) => (
                      <Flex
                        // biome-ignore lint/suspicious/noArrayIndexKey: the id is edited in place; keep focus
                        key={n}
                        gap={4}
                        align="flex-start"
                        className="crit-tier-atom"
                      >
                        <AtomFields
                          atom={atom}
                          ids={ids}
                          readOnly={readOnly}
                          i18n={i18n}
                          onChange={(next) =>
                            setRow(index, {
                              ...row,
                              when: tierRowWhen(
                                editable.match,
                                editable.atoms.map((old, m) => (m === n ? next : old)),
                              ),
                            })
                          }
                        />
                        {readOnly || editable.atoms.length === 1 ? null : (
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('crit.form.remove')}
                            onClick={() =>
                              setRow(index, {
                                ...row,
                                when: tierRowWhen(
                                  editable.match,
                                  editable.atoms.filter((_, m) => m !== n),
                                ),
                              })
                            }
                          />
                        )}
                      </Flex>
                    ))}
                    {readOnly ? null : (
                      <Button
                        size="small"
                        icon={<PlusOutlined />}
                        style={{ alignSelf: 'flex-start' }}
                        onClick={() =>
                          setRow(index, {
                            ...row,
                            when: tierRowWhen(editable.match, [...editable.atoms, newAtom('headcount', ids)]),
                          })
                        }
                      >
                        {t('crit.form.tierAddCond')}
                      </Button>
                    )}
                  </>
                ) : (
                  <div>
                    <Typography.Text type="secondary">{t('crit.form.composite')}</Typography.Text>
                    <div className="crit-preview">
                      <RuleView cond={row.when} i18n={i18n} />
                    </div>
                  </div>
                )}
                <Space wrap>
                  <span>→ {t('crit.form.tierThen')}</span>
                  <Select<ServiceTier>
                    aria-label={`${t('crit.form.tierRow', { n: index + 1 })} ${t('crit.form.tierThen')}`}
                    value={row.output}
                    disabled={readOnly}
                    onChange={(output) => setRow(index, { ...row, output })}
                    options={tierOptions}
                    style={{ width: 140 }}
                  />
                </Space>
              </Flex>
            </Card>
          );
        })}
        {readOnly ? null : (
          <Button
            icon={<PlusOutlined />}
            type="dashed"
            block
            disabled={table.rows.length >= 20}
            onClick={() =>
              setRows([...table.rows, { when: newAtom('annualValueWan', []), output: 'city' as ServiceTier }])
            }
          >
            {t('crit.form.tierAddRow')}
          </Button>
        )}
        <Space wrap>
          <span>{t('crit.form.otherwise')} →</span>
          <Select<ServiceTier>
            aria-label={t('crit.form.otherwise')}
            value={table.otherwise}
            disabled={readOnly}
            onChange={(otherwise) => onChange({ ...table, otherwise })}
            options={tierOptions}
            style={{ width: 140 }}
          />
        </Space>
      </Flex>
    </section>
  );
}
