import type { RoleCategory } from '@sibao/contracts';
import {
  createParameterStore,
  henan2022Parameters,
  ParameterNotInForce,
  type ParameterTimeline,
} from '@sibao/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessTestCompliance,
  CADENCE_PARAMETER,
  cadenceHoursAt,
  InvalidCadence,
  type ModeChange,
  modeAt,
  nextTestDue,
} from './workforce.cadence';

/** An instant written in Asia/Shanghai local time: `sh('2022-06-01 08:00')`. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const henan = createParameterStore(henan2022Parameters);
const cadenceTimeline = henan2022Parameters.find((t) => t.key === CADENCE_PARAMETER)!;
const seedVersion = cadenceTimeline.versions[0]!;
const withCadenceVersions = (versions: ParameterTimeline['versions']) =>
  createParameterStore([{ ...cadenceTimeline, versions }]);

/** Henan's cadence until 2022-07-01, then 72 h by default (a made-up later revision). */
const revised = withCadenceVersions([
  { ...seedVersion, to: '2022-07-01' },
  {
    ...seedVersion,
    from: '2022-07-01',
    value: { ...(seedVersion.value as object), default: 72 },
    revision: 2,
  },
]);
/** Henan's cadence, in force only until 2022-07-01. */
const bounded = withCadenceVersions([{ ...seedVersion, to: '2022-07-01' }]);

const closedLoopFrom = (local: string): ModeChange[] => [{ at: sh(local), mode: 'closed_loop' }];
const longAgo = sh('2022-05-25 00:00');

describe('cadenceHoursAt', () => {
  it.each([
    ['regular', 'normal', 48],
    ['mobile', 'normal', 24],
    ['city_supply', 'normal', 24],
    ['regular', 'closed_loop', 24],
    ['mobile', 'closed_loop', 24],
    ['city_supply', 'closed_loop', 24],
  ] as const)('%s staff in %s mode: every %i h (the seed’s parameters)', (role, mode, hours) => {
    expect(cadenceHoursAt(role, mode, henan, sh('2022-06-01 12:00'))).toBe(hours);
  });

  it('reads the version in force on the Shanghai business date', () => {
    expect(cadenceHoursAt('regular', 'normal', revised, sh('2022-06-30 23:59'))).toBe(48);
    // 2022-06-30 16:00 UTC is already 2022-07-01 in Shanghai.
    expect(cadenceHoursAt('regular', 'normal', revised, new Date('2022-06-30T16:00:00Z'))).toBe(72);
  });

  it('is an error outside the parameter’s validity, not the last known value', () => {
    expect(() => cadenceHoursAt('regular', 'normal', henan, sh('2022-05-24 23:59'))).toThrow(
      ParameterNotInForce,
    );
    expect(() => cadenceHoursAt('regular', 'normal', bounded, sh('2022-07-01 00:00'))).toThrow(
      ParameterNotInForce,
    );
  });

  it('refuses a cadence that is not a positive number of hours', () => {
    const zero = withCadenceVersions([
      { ...seedVersion, value: { ...(seedVersion.value as object), mobile: 0 } },
    ]);
    expect(() => cadenceHoursAt('mobile', 'normal', zero, sh('2022-06-01 12:00'))).toThrow(InvalidCadence);
  });
});

describe('modeAt', () => {
  const changes: ModeChange[] = [
    { at: sh('2022-06-05 00:00'), mode: 'normal' },
    { at: sh('2022-06-02 00:00'), mode: 'closed_loop' },
  ];
  it.each([
    ['2022-06-01 23:59', 'normal'],
    ['2022-06-02 00:00', 'closed_loop'],
    ['2022-06-04 23:59', 'closed_loop'],
    ['2022-06-05 00:00', 'normal'],
  ])('at %s the enterprise runs %s (changes in any order)', (local, mode) => {
    expect(modeAt(changes, sh(local))).toBe(mode);
  });
});

describe('nextTestDue and assessTestCompliance (table-driven, injected clock, Asia/Shanghai)', () => {
  const cases: {
    name: string;
    role: RoleCategory;
    lastNegative: string | null;
    started?: string;
    modes?: ModeChange[];
    params?: typeof henan;
    due: string;
    basis?: 'last_negative' | 'start';
  }[] = [
    {
      name: 'regular staff: 48 h after the sample',
      role: 'regular',
      lastNegative: '2022-06-01 08:00',
      due: '2022-06-03 08:00',
    },
    { name: 'mobile staff: 24 h', role: 'mobile', lastNegative: '2022-06-01 08:00', due: '2022-06-02 08:00' },
    {
      name: 'city-supply staff: daily',
      role: 'city_supply',
      lastNegative: '2022-06-01 08:00',
      due: '2022-06-02 08:00',
    },
    {
      name: 'closed loop from before the test: daily',
      role: 'regular',
      lastNegative: '2022-06-03 10:00',
      modes: closedLoopFrom('2022-06-02 00:00'),
      due: '2022-06-04 10:00',
    },
    {
      name: 'tested 16 h before the switch: 24 h after the test',
      role: 'regular',
      lastNegative: '2022-06-01 08:00',
      modes: closedLoopFrom('2022-06-02 00:00'),
      due: '2022-06-02 08:00',
    },
    {
      name: 'tested 40 h before the switch: due at the switch itself',
      role: 'regular',
      lastNegative: '2022-05-31 08:00',
      modes: closedLoopFrom('2022-06-02 00:00'),
      due: '2022-06-02 00:00',
    },
    {
      name: 'a switch after the 48 h ran out changes nothing',
      role: 'regular',
      lastNegative: '2022-05-29 08:00',
      modes: closedLoopFrom('2022-06-02 00:00'),
      due: '2022-05-31 08:00',
    },
    {
      name: 'mobile staff gain nothing stricter from closed loop',
      role: 'mobile',
      lastNegative: '2022-06-01 20:00',
      modes: closedLoopFrom('2022-06-02 00:00'),
      due: '2022-06-02 20:00',
    },
    {
      name: 'the end of the emergency relaxes to 48 h again',
      role: 'regular',
      lastNegative: '2022-06-04 20:00',
      modes: [...closedLoopFrom('2022-06-02 00:00'), { at: sh('2022-06-05 00:00'), mode: 'normal' }],
      due: '2022-06-06 20:00',
    },
    {
      name: 'no negative test yet: due at the start',
      role: 'regular',
      lastNegative: null,
      started: '2022-06-01 09:00',
      due: '2022-06-01 09:00',
      basis: 'start',
    },
    {
      name: 'a negative run out before the start: due at the start',
      role: 'regular',
      lastNegative: '2022-05-28 08:00',
      started: '2022-06-01 09:00',
      due: '2022-06-01 09:00',
      basis: 'start',
    },
    {
      name: 'a negative taken the hour before starting still counts',
      role: 'regular',
      lastNegative: '2022-06-01 08:00',
      started: '2022-06-01 09:00',
      due: '2022-06-03 08:00',
    },
    {
      name: 'a new parameter version applies from its date on',
      role: 'regular',
      lastNegative: '2022-06-29 12:00',
      params: revised,
      due: '2022-07-02 12:00',
    },
    {
      name: 'a due time inside the validity is fine even if the parameter ends later',
      role: 'mobile',
      lastNegative: '2022-06-29 08:00',
      params: bounded,
      due: '2022-06-30 08:00',
    },
  ];

  it.each(cases)(
    '$name',
    ({ role, lastNegative, started, modes = [], params = henan, due, basis = 'last_negative' }) => {
      const person = {
        roleCategory: role,
        startedAt: started ? sh(started) : longAgo,
        lastNegativeAt: lastNegative ? sh(lastNegative) : null,
      };
      expect(nextTestDue(person, modes, params)).toEqual({ dueAt: sh(due), basis });
      // At the due time the person is due, not yet overdue; one second later they are overdue.
      expect(assessTestCompliance(person, modes, params, sh(due)).overdue).toBe(false);
      const later = new Date(sh(due).getTime() + 1000);
      expect(assessTestCompliance(person, modes, params, later).overdue).toBe(true);
    },
  );

  it('a clock moving across the switch to closed loop sees the person turn overdue at the switch', () => {
    const person = {
      roleCategory: 'regular' as const,
      startedAt: longAgo,
      lastNegativeAt: sh('2022-05-31 08:00'),
    };
    const modes = closedLoopFrom('2022-06-02 00:00');
    const at = (local: string) => assessTestCompliance(person, modes, henan, sh(local));
    expect(at('2022-06-01 23:00')).toMatchObject({ overdue: false, cadenceHours: 48 });
    expect(at('2022-06-02 00:00')).toMatchObject({ overdue: false, cadenceHours: 24 });
    expect(at('2022-06-02 00:01')).toMatchObject({ overdue: true, cadenceHours: 24 });
    // Without the switch the same person would have had until 08:00.
    expect(assessTestCompliance(person, [], henan, sh('2022-06-02 07:59')).overdue).toBe(false);
  });

  it.each([
    ['`now` before the parameters are in force', null, '2022-05-24 12:00', henan],
    ['a test sampled before they are in force', '2022-05-24 20:00', '2022-05-26 12:00', henan],
    ['a due time after the parameter ends', '2022-06-30 08:00', '2022-06-30 12:00', bounded],
  ])('throws ParameterNotInForce for %s', (_name, lastNegative, now, params) => {
    const person = {
      roleCategory: 'regular' as const,
      startedAt: sh('2022-05-20 08:00'),
      lastNegativeAt: lastNegative ? sh(lastNegative) : null,
    };
    expect(() => assessTestCompliance(person, [], params, sh(now))).toThrow(ParameterNotInForce);
  });
});

describe('properties', () => {
  const FROM = sh('2022-05-25 00:00').getTime();
  const TO = sh('2022-12-31 00:00').getTime();
  const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));
  const role = fc.constantFrom<RoleCategory>('regular', 'mobile', 'city_supply');
  const modes = fc.array(
    fc.record({ at: instant, mode: fc.constantFrom('normal' as const, 'closed_loop' as const) }),
    { maxLength: 5 },
  );
  const params = fc.constantFrom(henan, revised);

  it('the next due time is after the last negative test (and not before the start)', () => {
    fc.assert(
      fc.property(role, instant, instant, modes, params, (r, last, started, m, p) => {
        const { dueAt } = nextTestDue({ roleCategory: r, startedAt: started, lastNegativeAt: last }, m, p);
        expect(dueAt.getTime()).toBeGreaterThan(last.getTime());
        expect(dueAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
      }),
    );
  });

  it('a later negative test never makes someone overdue who was not', () => {
    fc.assert(
      fc.property(
        role,
        fc.option(instant, { nil: null }),
        instant,
        instant,
        instant,
        modes,
        params,
        (r, earlier, laterRaw, nowRaw, started, m, p) => {
          const later = new Date(Math.max(laterRaw.getTime(), earlier?.getTime() ?? 0));
          const now = new Date(Math.max(nowRaw.getTime(), later.getTime()));
          const before = assessTestCompliance(
            { roleCategory: r, startedAt: started, lastNegativeAt: earlier },
            m,
            p,
            now,
          );
          const after = assessTestCompliance(
            { roleCategory: r, startedAt: started, lastNegativeAt: later },
            m,
            p,
            now,
          );
          if (!before.overdue) expect(after.overdue).toBe(false);
          expect(after.dueAt.getTime()).toBeGreaterThanOrEqual(before.dueAt.getTime());
        },
      ),
    );
  });

  it('the stricter mode never gives a later due time', () => {
    fc.assert(
      fc.property(role, instant, instant, modes, params, (r, last, started, m, p) => {
        const person = { roleCategory: r, startedAt: started, lastNegativeAt: last };
        const normal = nextTestDue(person, [], p).dueAt.getTime();
        const mixed = nextTestDue(person, m, p).dueAt.getTime();
        const strict = nextTestDue(
          person,
          m.map((c) => ({ ...c, mode: 'closed_loop' as const })),
          p,
        ).dueAt.getTime();
        expect(mixed).toBeLessThanOrEqual(normal);
        expect(strict).toBeLessThanOrEqual(mixed);
      }),
    );
  });
});
