import type { OperatingMode, RoleCategory } from '@sibao/contracts';
import { type ParameterStore, partOf } from '@sibao/rules';

/**
 * Test compliance maths (两码一证's 证): when each person's next PCR test is due and whether they are overdue.
 * Pure: no I/O, no clock — `now` is passed in. Business dates are Asia/Shanghai (UTC+8, no daylight saving).
 *
 * The rule, read from `workforce.testCadenceHours` on the date in question (never a hard-coded number):
 * - 指南 二(一), 方案 三(一): every 48 h (`default`);
 * - 指南 二(一), 方案 六(二): 流动性、接触性岗位 (`mobile`: logistics, sales) every 24 h;
 * - 指南 三(六): 城市保供 (`city_supply`) 每天1次 (`citySupply`, 24 h);
 * - 指南 三(三): under closed-loop management 每日 (`closedLoop`, 24 h) — the stricter of this and the role's.
 *
 * Definition: at an instant t the cadence c(t) in force is the one for the person's role, the enterprise's
 * mode at t and the parameter version of t's business date. A negative sampled at L is still current at t
 * while t − L ≤ c(t); the test is due at the first t ≥ L where t − L ≥ c(t), and the person is overdue at
 * `now` when now > due. So a switch to closed-loop shortens the window from the switch on: someone tested
 * 30 h before the switch is due at the switch itself, someone tested 10 h before it is due 24 h after their
 * test. A date whose parameter is not in force is an error (`ParameterNotInForce`), never "the last value".
 */

export const CADENCE_PARAMETER = 'workforce.testCadenceHours';

const HOUR_MS = 3_600_000;
const SHANGHAI_OFFSET = '+08:00';

/** A switch of the enterprise's operating mode (an emergency declared or ended for its county). */
export interface ModeChange {
  readonly at: Date;
  readonly mode: OperatingMode;
}

export interface CadencePerson {
  readonly roleCategory: RoleCategory;
  /** First day on site (or when they joined the roster): the due time of someone with no negative test yet. */
  readonly startedAt: Date;
  /** Sample time of the latest negative `pcr_test`, or null. */
  readonly lastNegativeAt: Date | null;
}

export interface NextDue {
  readonly dueAt: Date;
  /** `last_negative`: due because the latest negative runs out; `start`: no current negative since starting. */
  readonly basis: 'last_negative' | 'start';
}

export interface Compliance extends NextDue {
  readonly overdue: boolean;
  /** The cadence in force at `now`, in hours (what the roster shows). */
  readonly cadenceHours: number;
}

/** A cadence parameter that is not a positive number: a misconfiguration, not bad input. */
export class InvalidCadence extends Error {
  override readonly name = 'InvalidCadence';
  readonly code = 'WORKFORCE_CADENCE_INVALID';
}

const ROLE_PART: Readonly<Record<RoleCategory, string>> = {
  regular: 'default',
  mobile: 'mobile',
  city_supply: 'citySupply',
};

function hoursOf(params: ParameterStore, at: Date, part: string): number {
  const hours = partOf(params.valueAt(CADENCE_PARAMETER, at), part);
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0)
    throw new InvalidCadence(`${CADENCE_PARAMETER}.${part} is not a positive number of hours`);
  return hours;
}

/**
 * The test cadence in hours for a role category under an operating mode, read from the parameter version in
 * force on `at`'s business date. Closed loop takes the stricter of the role's and the closed-loop cadence
 * (指南 三(三)), so it is never looser than normal. Throws `ParameterNotInForce` outside the validity.
 */
export function cadenceHoursAt(
  roleCategory: RoleCategory,
  mode: OperatingMode,
  params: ParameterStore,
  at: Date,
): number {
  const role = hoursOf(params, at, ROLE_PART[roleCategory]);
  return mode === 'closed_loop' ? Math.min(role, hoursOf(params, at, 'closedLoop')) : role;
}

/** The mode in force at `at`: the latest change at or before it; `normal` before the first change. */
export function modeAt(changes: readonly ModeChange[], at: Date): OperatingMode {
  let mode: OperatingMode = 'normal';
  let since = Number.NEGATIVE_INFINITY;
  for (const c of changes) {
    const t = c.at.getTime();
    if (t <= at.getTime() && t >= since) {
      mode = c.mode;
      since = t;
    }
  }
  return mode;
}

/** Midnight of an ISO date in Asia/Shanghai, as epoch milliseconds. */
function shanghaiMidnight(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00${SHANGHAI_OFFSET}`);
}

/** Instants after `after` where the cadence may change: mode switches and parameter version edges. */
function boundariesAfter(changes: readonly ModeChange[], params: ParameterStore, after: number): number[] {
  const out = new Set<number>();
  for (const c of changes) if (c.at.getTime() > after) out.add(c.at.getTime());
  for (const v of params.timeline(CADENCE_PARAMETER)?.versions ?? []) {
    for (const day of [v.from, v.to]) {
      if (day === null) continue;
      const t = shanghaiMidnight(day);
      if (t > after) out.add(t);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The first instant ≥ `last` at which a negative sampled at `last` has run out (see the module comment). */
function dueAfterTest(
  roleCategory: RoleCategory,
  changes: readonly ModeChange[],
  params: ParameterStore,
  last: number,
): number {
  let segmentStart = last;
  for (const boundary of [...boundariesAfter(changes, params, last), Number.POSITIVE_INFINITY]) {
    const at = new Date(segmentStart);
    const hours = cadenceHoursAt(roleCategory, modeAt(changes, at), params, at);
    const candidate = Math.max(segmentStart, last + hours * HOUR_MS);
    if (candidate < boundary) return candidate;
    segmentStart = boundary;
  }
  // Unreachable: the last segment is open-ended and every candidate is finite.
  throw new Error('no due time found');
}

/**
 * When the person's next PCR test is due (指南 二(一), 三(三), 三(六)). Someone with no negative test since
 * starting is due at their start: the seed gives no grace period — 两码一证 requires a current negative to be
 * on site at all — and a fixed instant (unlike "now") can be stored and compared as tests arrive. A negative
 * taken before the start still counts while it is current (due = the later of start and its expiry).
 * Throws `ParameterNotInForce` when the cadence is not in force on a date the computation needs.
 */
export function nextTestDue(
  person: CadencePerson,
  modeChanges: readonly ModeChange[],
  params: ParameterStore,
): NextDue {
  const start = person.startedAt.getTime();
  if (person.lastNegativeAt === null) return { dueAt: new Date(start), basis: 'start' };
  const due = dueAfterTest(person.roleCategory, modeChanges, params, person.lastNegativeAt.getTime());
  return due >= start
    ? { dueAt: new Date(due), basis: 'last_negative' }
    : { dueAt: new Date(start), basis: 'start' };
}

/**
 * The person's compliance at `now`: next due time, whether they are overdue (strictly after the due time),
 * and the cadence in force now. Throws `ParameterNotInForce` when `now`'s date (or a date the due time
 * depends on) is outside the cadence parameter's validity.
 */
export function assessTestCompliance(
  person: CadencePerson,
  modeChanges: readonly ModeChange[],
  params: ParameterStore,
  now: Date,
): Compliance {
  const cadenceHours = cadenceHoursAt(person.roleCategory, modeAt(modeChanges, now), params, now);
  const next = nextTestDue(person, modeChanges, params);
  return { ...next, overdue: now.getTime() > next.dueAt.getTime(), cadenceHours };
}
