import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from './errors';
import { computeIdCheckDigit } from './validators';
import {
  ALERT_STATES,
  AlertTransitionBodySchema,
  ArrivalBodySchema,
  canTransitionAlert,
  DailyReportBodySchema,
  EmployeeBodySchema,
  TEST_RESULT_BATCH_MAX,
  TestResultBatchBodySchema,
  TestResultBatchHeadersSchema,
  TestResultBatchResponseSchema,
  TestResultRowSchema,
} from './workforce';

const ID = '410102199003071230';
const row = {
  labSampleId: 'ZZ20220601-000123',
  idNumber: ID,
  sampledAt: '2022-06-01T08:30:00+08:00',
  result: 'negative',
  method: 'pooled',
  tubeId: 'T-0042',
};

/** The stable code a failing parse carries for `path` (custom issues carry it as the message). */
function codesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; code: string; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((i) => ({
    path: i.path.join('.'),
    code: i.code === 'custom' ? i.message : i.code,
  }));
}

describe('TestResultRowSchema', () => {
  it('accepts a pooled negative and defaults the re-test link to null', () => {
    expect(TestResultRowSchema.parse(row)).toEqual({ ...row, retestOfLabSampleId: null });
  });

  it('accepts a single-tube re-test that names the pooled sample', () => {
    const retest = {
      ...row,
      labSampleId: 'S-2',
      method: 'single',
      result: 'positive',
      retestOfLabSampleId: 'S-1',
    };
    expect(TestResultRowSchema.parse(retest).retestOfLabSampleId).toBe('S-1');
  });

  it('normalises the ID number (full-width digits, lower-case x)', () => {
    const parsed = TestResultRowSchema.parse({ ...row, idNumber: ' 11010119491001001x ' });
    expect(parsed.idNumber).toBe('11010119491001001X');
  });

  it.each([
    [
      'an ID number with a wrong check digit',
      { idNumber: '410102199003071231' },
      'idNumber',
      'ID_NUMBER_CHECK_DIGIT',
    ],
    ['a malformed ID number', { idNumber: '4101021990' }, 'idNumber', 'ID_NUMBER_FORMAT'],
    ['an impossible birth date', { idNumber: '410102199002301234' }, 'idNumber', 'ID_NUMBER_BIRTH_DATE'],
    ['an unknown result', { result: 'weak_positive' }, 'result', 'invalid_value'],
    ['an unknown method', { method: 'mixed' }, 'method', 'invalid_value'],
    ['a sample time without an offset', { sampledAt: '2022-06-01T08:30:00' }, 'sampledAt', 'invalid_format'],
    ['a sample date without a time', { sampledAt: '2022-06-01' }, 'sampledAt', 'invalid_format'],
    ['an empty lab sample id', { labSampleId: '' }, 'labSampleId', 'too_small'],
    ['a lab sample id with spaces', { labSampleId: 'A B' }, 'labSampleId', 'invalid_format'],
    [
      'a pooled re-test',
      { retestOfLabSampleId: 'S-0' },
      'retestOfLabSampleId',
      'WORKFORCE_RETEST_NOT_SINGLE',
    ],
    [
      'a re-test of itself',
      { method: 'single', retestOfLabSampleId: row.labSampleId },
      'retestOfLabSampleId',
      'WORKFORCE_RETEST_OF_ITSELF',
    ],
  ])('refuses %s', (_name, change, path, code) => {
    expect(codesOf(TestResultRowSchema.safeParse({ ...row, ...change }))).toContainEqual({ path, code });
  });

  it('refuses a missing field and an unknown field', () => {
    const { tubeId: _omit, ...withoutTube } = row;
    expect(codesOf(TestResultRowSchema.safeParse(withoutTube))).toContainEqual({
      path: 'tubeId',
      code: 'invalid_type',
    });
    expect(codesOf(TestResultRowSchema.safeParse({ ...row, name: '张三' }))).toContainEqual({
      path: '',
      code: 'unrecognized_keys',
    });
  });

  it('accepts every valid ID number and every result × method (property)', () => {
    const body17 = fc
      .tuple(
        fc.constantFrom('410102', '410105', '419001', '110101'),
        fc.date({
          min: new Date('1930-01-01T00:00:00Z'),
          max: new Date('2004-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(
        ([region, birth, seq]) =>
          `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`,
      );
    fc.assert(
      fc.property(
        body17,
        fc.constantFrom('negative', 'positive', 'invalid'),
        fc.constantFrom('pooled', 'single'),
        (b, result, method) => {
          const idNumber = b + computeIdCheckDigit(b);
          const parsed = TestResultRowSchema.safeParse({ ...row, idNumber, result, method });
          expect(parsed.success).toBe(true);
        },
      ),
    );
  });

  it('refuses an ID number with any single digit changed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const digit = (Number(ID[pos]) + delta) % 10;
        const changed = ID.slice(0, pos) + String(digit) + ID.slice(pos + 1);
        expect(TestResultRowSchema.safeParse({ ...row, idNumber: changed }).success).toBe(false);
      }),
    );
  });
});

describe('the test-result batch', () => {
  it('takes 1 to 10,000 rows and lets each row through unchecked for per-row errors', () => {
    expect(TestResultBatchBodySchema.safeParse([row, { junk: true }]).success).toBe(true);
    expect(TestResultBatchBodySchema.safeParse([]).success).toBe(false);
    expect(TestResultBatchBodySchema.safeParse(new Array(TEST_RESULT_BATCH_MAX).fill(row)).success).toBe(
      true,
    );
    expect(TestResultBatchBodySchema.safeParse(new Array(TEST_RESULT_BATCH_MAX + 1).fill(row)).success).toBe(
      false,
    );
    expect(TestResultBatchBodySchema.safeParse({ rows: [row] }).success).toBe(false);
  });

  it('needs an idempotency key of 8 to 100 characters', () => {
    expect(TestResultBatchHeadersSchema.safeParse({ 'idempotency-key': 'lab-42-batch-0001' }).success).toBe(
      true,
    );
    expect(TestResultBatchHeadersSchema.safeParse({ 'idempotency-key': 'short' }).success).toBe(false);
    expect(TestResultBatchHeadersSchema.safeParse({}).success).toBe(false);
  });

  it('answers counts and row errors', () => {
    const answer = {
      received: 3,
      accepted: 1,
      duplicate: 1,
      rejected: 1,
      unmatched: 0,
      errors: [{ row: 2, field: 'idNumber', code: 'ID_NUMBER_CHECK_DIGIT' }],
      replayed: false,
    };
    expect(TestResultBatchResponseSchema.parse(answer)).toEqual(answer);
  });
});

describe('EmployeeBodySchema', () => {
  const employee = {
    name: '张三',
    idNumber: ID,
    phone: '+86 138 0013 8000',
    roleCategory: 'mobile',
    healthCode: 'green',
    itineraryCode: 'starred',
  };

  it('accepts a roster row, normalises the phone and fills the defaults', () => {
    expect(EmployeeBodySchema.parse(employee)).toEqual({
      ...employee,
      phone: '13800138000',
      workUnit: null,
      shift: null,
      dorm: null,
      status: 'active',
      startedOn: null,
    });
  });

  it.each([
    ['a role category outside regular / mobile / city_supply', { roleCategory: 'logistics' }, 'roleCategory'],
    ['a health code that is not green / yellow / red', { healthCode: 'blue' }, 'healthCode'],
    ['an itinerary code that is not normal / starred / abnormal', { itineraryCode: 'ok' }, 'itineraryCode'],
    ['a status other than active / left', { status: 'fired' }, 'status'],
    ['a landline', { phone: '0371-65500000' }, 'phone'],
    ['an unknown vaccination status', { vaccination: 'three' }, 'vaccination'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a start date that is no date', { startedOn: '2022-02-30' }, 'startedOn'],
    ['an unknown field', { salary: 1 }, ''],
  ])('refuses %s', (_name, change, path) => {
    const result = EmployeeBodySchema.safeParse({ ...employee, ...change });
    expect(codesOf(result).map((c) => c.path)).toContain(path);
  });
});

describe('DailyReportBodySchema', () => {
  const base = { reportDate: '2022-06-01', headcountOnSite: 120 };
  const employeeId = '0190a0b0-0000-7000-8000-000000000001';

  it('accepts a zero report and a report with anomalies', () => {
    expect(DailyReportBodySchema.parse({ kind: 'zero', ...base }).kind).toBe('zero');
    const report = DailyReportBodySchema.parse({
      kind: 'anomalies',
      ...base,
      anomalies: [
        { employeeId, kind: 'symptoms', note: '发热 37.8℃' },
        { employeeId, kind: 'sent_to_doctor' },
      ],
    });
    expect(report.kind === 'anomalies' && report.anomalies[1]?.note).toBeNull();
  });

  it.each([
    ['a zero report carrying anomalies', { kind: 'zero', anomalies: [{ employeeId, kind: 'absent' }] }],
    ['an anomalies report without anomalies', { kind: 'anomalies', anomalies: [] }],
    ['no kind', { kind: undefined }],
    ['a negative headcount', { kind: 'zero', headcountOnSite: -1 }],
    ['a fractional headcount', { kind: 'zero', headcountOnSite: 1.5 }],
    ['an anomaly of unknown kind', { kind: 'anomalies', anomalies: [{ employeeId, kind: 'tired' }] }],
    [
      'an anomaly without an employee id',
      { kind: 'anomalies', anomalies: [{ employeeId: 'x', kind: 'absent' }] },
    ],
  ])('refuses %s', (_name, change) => {
    expect(DailyReportBodySchema.safeParse({ ...base, ...change }).success).toBe(false);
  });

  it('refuses the same anomaly twice for one person', () => {
    const result = DailyReportBodySchema.safeParse({
      kind: 'anomalies',
      ...base,
      anomalies: [
        { employeeId, kind: 'absent' },
        { employeeId, kind: 'absent' },
      ],
    });
    expect(codesOf(result)).toContainEqual({ path: 'anomalies.1', code: 'DAILY_REPORT_DUPLICATE_ANOMALY' });
  });
});

describe('ArrivalBodySchema', () => {
  const arrival = {
    personKind: 'visitor',
    name: '李四',
    idNumber: ID,
    originCountyCode: '310115',
    preRegistered: true,
    arrivedAt: '2022-06-01T10:00:00+08:00',
    healthCode: 'green',
    itineraryCode: 'normal',
  };

  it('accepts a visitor and fills the defaults', () => {
    expect(ArrivalBodySchema.parse(arrival)).toMatchObject({
      employeeId: null,
      phone: null,
      negativeTestSampledAt: null,
      contactStatus: 'none',
    });
  });

  it.each([
    ['an origin that is no county code', { originCountyCode: '3101' }],
    ['no arrival time', { arrivedAt: undefined }],
    ['pre-registration as text', { preRegistered: 'yes' }],
    ['an unknown contact status', { contactStatus: 'suspect' }],
    ['a visitor linked to an employee', { employeeId: '0190a0b0-0000-7000-8000-000000000001' }],
    ['an unknown field', { temperature: 36.5 }],
  ])('refuses %s', (_name, change) => {
    expect(ArrivalBodySchema.safeParse({ ...arrival, ...change }).success).toBe(false);
  });

  it('links returning staff to their roster row', () => {
    const employeeId = '0190a0b0-0000-7000-8000-000000000001';
    expect(
      ArrivalBodySchema.parse({ ...arrival, personKind: 'returning_staff', employeeId }).employeeId,
    ).toBe(employeeId);
  });
});

describe('alerts', () => {
  it.each([
    ['new', 'acknowledged', true],
    ['new', 'resolved', true],
    ['new', 'dismissed', true],
    ['acknowledged', 'resolved', true],
    ['acknowledged', 'dismissed', true],
    ['acknowledged', 'new', false],
    ['resolved', 'acknowledged', false],
    ['resolved', 'dismissed', false],
    ['dismissed', 'resolved', false],
    ['dismissed', 'new', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransitionAlert(from, to)).toBe(allowed);
  });

  it('never leaves a final state and never goes back to new (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_STATES), fc.constantFrom(...ALERT_STATES), (from, to) => {
        if (from === 'resolved' || from === 'dismissed' || to === 'new' || from === to)
          expect(canTransitionAlert(from, to)).toBe(false);
      }),
    );
  });

  it('dismissing needs a reason', () => {
    expect(
      AlertTransitionBodySchema.safeParse({ to: 'dismissed', reason: '误报：已核实为同名人员' }).success,
    ).toBe(true);
    expect(AlertTransitionBodySchema.safeParse({ to: 'dismissed' }).success).toBe(false);
    expect(AlertTransitionBodySchema.safeParse({ to: 'dismissed', reason: ' ' }).success).toBe(false);
    expect(AlertTransitionBodySchema.safeParse({ to: 'acknowledged', reason: 'x' }).success).toBe(false);
    expect(AlertTransitionBodySchema.safeParse({ to: 'new' }).success).toBe(false);
  });
});

it('every workforce code raised by these schemas is in the error catalogue', () => {
  for (const code of [
    'WORKFORCE_RETEST_NOT_SINGLE',
    'WORKFORCE_RETEST_OF_ITSELF',
    'DAILY_REPORT_DUPLICATE_ANOMALY',
    'ARRIVAL_VISITOR_WITH_EMPLOYEE',
  ]) {
    expect(ERROR_CATALOG).toHaveProperty(code);
  }
});
