/**
 * @sibao/rules — effective-dated parameters and three-valued rules with explanations. Pure TypeScript:
 * no I/O, runs in Node and in the browser.
 */
export type { FactState, Normalized, ParamUse } from './atoms';
export { OP_SPECS } from './atoms';
export type { AmountExpr, AmountOptions, AmountResult, RoundMode } from './benefit';
export { evaluateAmount, splitFen } from './benefit';
export { dayNumber, isIsoDate, isoDateOfDay, toIsoDate } from './dates';
export type { Decision, DecisionRow, DecisionTable } from './decision-table';
export { decide, decideAll, NO_MATCH, UNDETERMINED } from './decision-table';
export type { EvaluateOptions, Evaluation, Status, TraceEntry } from './evaluate';
export { evaluate } from './evaluate';
export { describeTraceEntry, explain, groupDigits } from './explain';
export type {
  BooleanColumn,
  CodeColumn,
  Column,
  FactColumns,
  FactTable,
  ListColumn,
  NumberColumn,
} from './fact-table';
export { createFactTable } from './fact-table';
export {
  GUIDE_DOC,
  HENAN_2022_FROM,
  henan2022Parameters,
  PLAN_DOC,
  PLATFORM_DEFAULT_DOC,
} from './henan-2022.parameters';
export type { MatchAllResult, MatchAllStats } from './match-all';
export { matchAll } from './match-all';
export type {
  ParameterIssue,
  ParameterIssueCode,
  ParameterSource,
  ParameterStore,
  ParameterTimeline,
  ParameterType,
  ParameterUnit,
  ParameterValue,
  ParameterVersion,
  PartValue,
} from './parameters';
export {
  createParameterStore,
  InvalidParameters,
  lintParameters,
  ParameterNotInForce,
  parameterTypeOf,
  partOf,
  UNIT_LABELS,
  UnknownParameter,
} from './parameters';
export type {
  PolicyRule,
  PublishCheck,
  RuleContext,
  RuleTest,
  RuleTestReport,
  RuleTestResult,
} from './rule-tests';
export { checkPublishable, runRuleTests } from './rule-tests';
export type {
  AllCond,
  AnyCond,
  Atom,
  Catalogue,
  Cond,
  FactDef,
  FactRow,
  FactType,
  Label,
  Limits,
  Locale,
  NotCond,
  OnMissing,
  Op,
  Operand,
  ParamRef,
  RefCond,
  Refs,
  RuleErrorCode,
  Scalar,
} from './tree';
export { DEFAULT_LIMITS, OPS, RuleError } from './tree';
export type { ValidateOptions, ValidationIssue } from './validate';
export { validateRefs, validateRule } from './validate';
