import { type AmountExpr, evaluateAmount } from './benefit';
import { evaluate, type Status } from './evaluate';
import type { ParameterStore } from './parameters';
import type { Catalogue, Cond, FactRow, Label, Limits, Refs } from './tree';
import { type ValidationIssue, validateRule } from './validate';

/**
 * Rules carry their own tests, like OpenFisca's YAML tests: a rule cannot be published while a test fails.
 */

export interface RuleTest {
  readonly name: string;
  readonly asOf: string;
  readonly facts: FactRow;
  readonly expect: {
    readonly status: Status;
    /** Compared as a set. */
    readonly missing?: readonly string[];
    readonly amountFen?: number;
  };
}

/** A rule as stored and published: its condition, optional amount, and its tests. */
export interface PolicyRule {
  readonly id: string;
  readonly title?: Label;
  readonly when: Cond;
  readonly amount?: AmountExpr;
  readonly tests?: readonly RuleTest[];
}

export interface RuleContext {
  readonly catalogue: Catalogue;
  readonly params?: ParameterStore;
  readonly refs?: Refs;
  readonly limits?: Partial<Limits>;
}

export interface RuleTestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly actual: { readonly status: Status; readonly missing: string[]; readonly amountFen?: number };
  /** One line per mismatch, or the error that stopped the evaluation. */
  readonly failures: string[];
}

export interface RuleTestReport {
  readonly passed: boolean;
  readonly total: number;
  readonly failed: number;
  readonly results: RuleTestResult[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** Runs the tests stored with a rule. A test whose evaluation throws fails with the error's message. */
export function runRuleTests(rule: PolicyRule, context: RuleContext): RuleTestReport {
  const results = (rule.tests ?? []).map((test): RuleTestResult => {
    const failures: string[] = [];
    try {
      const options = { ...context, asOf: test.asOf };
      const r = evaluate(rule.when, test.facts, options);
      let amountFen: number | undefined;
      if (test.expect.status !== r.status)
        failures.push(`status: expected ${test.expect.status}, got ${r.status}`);
      if (test.expect.missing !== undefined && !sameSet(test.expect.missing, r.missing)) {
        failures.push(`missing: expected [${test.expect.missing.join(', ')}], got [${r.missing.join(', ')}]`);
      }
      if (test.expect.amountFen !== undefined) {
        if (rule.amount === undefined) failures.push('amountFen: the rule has no amount');
        else {
          const a = evaluateAmount(rule.amount, test.facts, options);
          if (a.status === 'known') amountFen = a.amountFen;
          if (amountFen !== test.expect.amountFen) {
            const got =
              a.status === 'known'
                ? `${a.amountFen}`
                : a.status === 'unknown'
                  ? `unknown (missing ${a.missing.join(', ')})`
                  : a.reason;
            failures.push(`amountFen: expected ${test.expect.amountFen}, got ${got}`);
          }
        }
      }
      const actual = {
        status: r.status,
        missing: r.missing,
        ...(amountFen !== undefined ? { amountFen } : {}),
      };
      return { name: test.name, passed: failures.length === 0, actual, failures };
    } catch (e) {
      failures.push(`error: ${e instanceof Error ? e.message : String(e)}`);
      return { name: test.name, passed: false, actual: { status: 'undetermined', missing: [] }, failures };
    }
  });
  const failed = results.filter((r) => !r.passed).length;
  return { passed: results.length > 0 && failed === 0, total: results.length, failed, results };
}

export interface PublishCheck {
  readonly ok: boolean;
  readonly issues: ValidationIssue[];
  readonly tests: RuleTestReport;
}

/**
 * What the publish step calls: the rule must validate (on every test date, so parameters are in force
 * there), have at least one test, and pass all its tests.
 */
export function checkPublishable(rule: PolicyRule, context: RuleContext): PublishCheck {
  const issues = validateRule(rule.when, context.catalogue, context);
  const seen = new Set(issues.map((i) => `${i.code}${i.path}${i.message}`));
  for (const t of rule.tests ?? []) {
    for (const i of validateRule(rule.when, context.catalogue, { ...context, asOf: t.asOf })) {
      const k = `${i.code}${i.path}${i.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        issues.push(i);
      }
    }
  }
  const tests = runRuleTests(rule, context);
  return { ok: issues.length === 0 && tests.passed, issues, tests };
}
