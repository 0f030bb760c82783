import { dayNumber } from './dates';
import type { Evaluation, TraceEntry } from './evaluate';
import { type Catalogue, type Cond, condKind, type FactDef, hasOwn, type Label, type Locale } from './tree';

/**
 * Human text for an evaluation, Chinese by default:
 *
 *   结论：暂无法判断（缺少：增值税留抵税额）
 *   员工人数 ≥ 1000 人（实际 1,250 人）✓
 *   增值税留抵税额 > 0（无数据）?
 *   若 增值税留抵税额 > 0，则符合条件。
 */
export function explain(result: Evaluation, catalogue: Catalogue, locale: Locale = 'zh'): string {
  const zh = locale === 'zh';
  const lines: string[] = [];
  const missing = result.missing.map((f) => factLabel(catalogue, f, locale));
  if (result.status === 'eligible') lines.push(zh ? '结论：符合条件' : 'Result: eligible');
  else if (result.status === 'ineligible') lines.push(zh ? '结论：不符合条件' : 'Result: not eligible');
  else {
    lines.push(
      zh
        ? `结论：暂无法判断（缺少：${missing.join('、')}）`
        : `Result: cannot tell yet (missing: ${missing.join(', ')})`,
    );
  }
  for (const entry of result.trace) lines.push(describeTraceEntry(entry, catalogue, locale, result.asOf));
  if (typeof result.residual !== 'boolean') {
    const byKey = new Map(result.trace.map((e) => [e.key, e]));
    const cond = describeCondition(result.residual, byKey, catalogue, locale, true);
    lines.push(zh ? `若 ${cond}，则符合条件。` : `Would be eligible if ${cond}.`);
  }
  return lines.join('\n');
}

/** One trace line: the condition, what was found, and ✓ / ✗ / ?. */
export function describeTraceEntry(
  entry: TraceEntry,
  catalogue: Catalogue,
  locale: Locale = 'zh',
  asOf?: string,
): string {
  const zh = locale === 'zh';
  const def = catalogue.facts[entry.fact];
  const parts: string[] = [];
  if (entry.op !== 'exists' && entry.op !== 'missing') {
    if (entry.state === 'missing') parts.push(zh ? '无数据' : 'no data');
    else if (entry.state === 'invalid') {
      parts.push(zh ? `数据无效：${short(entry.actual)}` : `invalid data: ${short(entry.actual)}`);
    } else parts.push(`${zh ? '实际 ' : 'actual '}${showActual(entry, def, locale, asOf)}`);
    if (entry.state !== 'present' && entry.onMissing !== 'unknown') {
      const yes = entry.onMissing === 'true';
      parts.push(zh ? (yes ? '按符合处理' : '按不符合处理') : yes ? 'counted as yes' : 'counted as no');
    }
  }
  const sources = new Set(
    entry.params.map((p) =>
      zh ? `依据《${p.source.doc}》${p.source.section}` : `per “${p.source.doc}” ${p.source.section}`,
    ),
  );
  parts.push(...sources);
  const mark = entry.outcome === true ? '✓' : entry.outcome === false ? '✗' : '?';
  const cond = describeAtomText(entry, def, catalogue, locale);
  if (parts.length === 0) return zh ? `${cond}${mark}` : `${cond} ${mark}`;
  return zh ? `${cond}（${parts.join('；')}）${mark}` : `${cond} (${parts.join('; ')}) ${mark}`;
}

function describeCondition(
  c: Cond,
  byKey: ReadonlyMap<string, TraceEntry>,
  catalogue: Catalogue,
  locale: Locale,
  top: boolean,
): string {
  const zh = locale === 'zh';
  const wrap = (s: string) => (top ? s : zh ? `（${s}）` : `(${s})`);
  switch (condKind(c)) {
    case 'all':
      return wrap(
        (c as { all: Cond[] }).all
          .map((x) => describeCondition(x, byKey, catalogue, locale, false))
          .join(zh ? ' 且 ' : ' and '),
      );
    case 'any':
      return wrap(
        (c as { any: Cond[] }).any
          .map((x) => describeCondition(x, byKey, catalogue, locale, false))
          .join(zh ? ' 或 ' : ' or '),
      );
    case 'not': {
      const inner = describeCondition((c as { not: Cond }).not, byKey, catalogue, locale, true);
      return zh ? `并非（${inner}）` : `not (${inner})`;
    }
    case 'atom': {
      const atom = c as { id: string; fact: string };
      const entry = byKey.get(atom.id);
      if (entry) return describeAtomText(entry, catalogue.facts[atom.fact], catalogue, locale);
      return atom.fact;
    }
    default:
      return zh ? `条件 ${(c as { ref: string }).ref}` : `condition ${(c as { ref: string }).ref}`;
  }
}

function pick(label: Label | undefined, locale: Locale): string {
  if (!label) return '';
  return locale === 'en' ? (label.en ?? label.zh) : label.zh;
}

function factLabel(catalogue: Catalogue, fact: string, locale: Locale): string {
  return hasOwn(catalogue.facts, fact) ? pick(catalogue.facts[fact]!.label, locale) || fact : fact;
}

/** 1250 → "1,250"; 1234.5 → "1,234.5". */
export function groupDigits(n: number): string {
  const s = String(Math.abs(n));
  if (s.includes('e')) return String(n);
  const [int = '', frac] = s.split('.');
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += ',';
    out += int[i];
  }
  return `${n < 0 ? '-' : ''}${out}${frac !== undefined ? `.${frac}` : ''}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function withUnit(text: string, def: FactDef | undefined, locale: Locale): string {
  const unit = pick(def?.unit, locale);
  return unit ? `${text} ${unit}` : text;
}

function valueText(v: unknown, def: FactDef | undefined, locale: Locale): string {
  if (typeof v === 'boolean') return locale === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (typeof v === 'string' && def?.values && hasOwn(def.values, v)) return pick(def.values[v], locale);
  return String(v);
}

function listText(v: unknown, def: FactDef | undefined, locale: Locale): string {
  const items = Array.isArray(v) ? v : [v];
  return items.map((x) => valueText(x, def, locale)).join(locale === 'zh' ? '、' : ', ');
}

function showActual(entry: TraceEntry, def: FactDef | undefined, locale: Locale, asOf?: string): string {
  const v = entry.actual;
  if (typeof v === 'number') return withUnit(groupDigits(v), def, locale);
  if (Array.isArray(v)) return v.length === 0 ? (locale === 'zh' ? '空' : 'none') : listText(v, def, locale);
  if (entry.op === 'daysSinceLte' && asOf !== undefined) {
    const from = dayNumber(v);
    const to = dayNumber(asOf);
    if (from !== undefined && to !== undefined) {
      const days = to - from;
      return locale === 'zh'
        ? `${String(v)}，${days} 天前`
        : `${String(v)}, ${days} day${days === 1 ? '' : 's'} ago`;
    }
  }
  return valueText(v, def, locale);
}

const SYMBOLS: Readonly<Record<string, string>> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };

/** The condition of an atom, without what was found: `员工人数 ≥ 1000 人`. */
function describeAtomText(
  entry: TraceEntry,
  def: FactDef | undefined,
  catalogue: Catalogue,
  locale: Locale,
): string {
  const zh = locale === 'zh';
  const label = factLabel(catalogue, entry.fact, locale);
  const x = entry.expected;
  const numeric = def?.type === 'number';
  const scalar = (v: unknown) =>
    numeric ? withUnit(valueText(v, def, locale), def, locale) : valueText(v, def, locale);
  const [a, b] = Array.isArray(x) ? x : [];
  switch (entry.op) {
    case 'eq':
    case 'ne':
      if (typeof x === 'boolean') {
        const yes = entry.op === 'eq' ? x : !x;
        return zh ? `${label} 为${yes ? '是' : '否'}` : `${label} is ${yes ? 'yes' : 'no'}`;
      }
      return `${label} ${SYMBOLS[entry.op]} ${scalar(x)}`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${label} ${SYMBOLS[entry.op]} ${scalar(x)}`;
    case 'in':
      return zh
        ? `${label} 属于 ${listText(x, def, locale)}`
        : `${label} is one of ${listText(x, def, locale)}`;
    case 'notIn':
      return zh
        ? `${label} 不属于 ${listText(x, def, locale)}`
        : `${label} is none of ${listText(x, def, locale)}`;
    case 'between':
      return zh
        ? `${label} 介于 ${valueText(a, def, locale)} 与 ${withUnit(valueText(b, def, locale), def, locale)} 之间`
        : `${label} between ${valueText(a, def, locale)} and ${withUnit(valueText(b, def, locale), def, locale)}`;
    case 'dateBetween':
      return zh
        ? `${label} 在 ${String(a)} 至 ${String(b)} 之间`
        : `${label} between ${String(a)} and ${String(b)}`;
    case 'daysSinceLte':
      return zh ? `${label} 距今不超过 ${String(x)} 天` : `${label} within the last ${String(x)} days`;
    case 'isTrue':
      return zh ? `${label} 为是` : `${label} is yes`;
    case 'isFalse':
      return zh ? `${label} 为否` : `${label} is no`;
    case 'exists':
      return zh ? `${label} 有数据` : `${label} is known`;
    case 'missing':
      return zh ? `${label} 无数据` : `${label} is not known`;
    case 'containsAny':
      return zh
        ? `${label} 包含 ${listText(x, def, locale)} 之一`
        : `${label} includes any of ${listText(x, def, locale)}`;
  }
}
