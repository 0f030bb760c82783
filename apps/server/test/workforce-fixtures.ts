import { randomUUID } from 'node:crypto';
import { computeIdCheckDigit, type EmployeeBodyInput, type Tier } from '@sibao/contracts';
import { createApiToken } from '../src/modules/iam';
import { whitelistEntries } from '../src/modules/whitelist';
import { newId } from '../src/platform/ids';
import { buildOrgUnit, buildUser, login, type TestApp } from './app';

/** A valid 18-character ID number: region, birth date 1990-03-07, a sequence number and the check digit. */
export function idNumber(seq: number, region = '410105'): string {
  const first17 = `${region}19900307${String(seq).padStart(3, '0')}`;
  return first17 + computeIdCheckDigit(first17);
}

export function phone(seq: number): string {
  return `138${String(seq).padStart(8, '0')}`;
}

export function employeeBody(seq: number, change: Partial<EmployeeBodyInput> = {}): EmployeeBodyInput {
  return {
    name: `员工${seq}`,
    idNumber: idNumber(seq),
    phone: phone(seq),
    roleCategory: 'regular',
    healthCode: 'green',
    itineraryCode: 'normal',
    ...change,
  };
}

/** A lab org unit in `regionCode` and an API token with `workforce.ingest_tests`. */
export async function buildLabToken(t: TestApp, regionCode: string, tier: Tier): Promise<string> {
  const lab = await buildOrgUnit(t.db, { kind: 'lab', regionCode, tier, name: `检测机构${regionCode}` });
  const { token } = await createApiToken(
    t.db,
    {
      name: 'lab',
      orgUnitId: lab.id,
      role: 'lab',
      permissions: ['workforce.ingest_tests'],
      expiresAt: new Date(t.clock.now.getTime() + 90 * 86_400_000),
    },
    { actor: null },
  );
  return token;
}

/** Signs in a new user of the enterprise (its own org unit) and returns the session cookie. */
export async function enterpriseSession(t: TestApp, enterprise: { id: string; regionCode: string }) {
  const u = await buildUser(t.db, {
    role: 'enterprise',
    kind: 'enterprise',
    regionCode: enterprise.regionCode,
    tier: 'enterprise',
    enterpriseId: enterprise.id,
  });
  return login(t.app, u.username, u.password);
}

export async function officialSession(
  t: TestApp,
  role: 'local_government' | 'epidemic_office' | 'command_office',
  regionCode: string,
  tier: Tier,
) {
  const kind =
    role === 'local_government'
      ? 'local_government'
      : role === 'epidemic_office'
        ? 'epidemic_office'
        : 'command_office';
  const u = await buildUser(t.db, { role, kind, regionCode, tier });
  return login(t.app, u.username, u.password);
}

export async function whitelist(t: TestApp, enterprise: { id: string; regionCode: string }) {
  await t.db.insert(whitelistEntries).values({
    id: newId(),
    enterpriseId: enterprise.id,
    sector: 'industry',
    regionCode: enterprise.regionCode,
    status: 'active',
    serviceTier: 'county',
    since: t.clock.now,
  });
}

export function postResults(t: TestApp, token: string, rows: unknown, key: string = randomUUID()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/test-results',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: rows as object,
  });
}

export async function addEmployee(t: TestApp, cookie: string, body: EmployeeBodyInput) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workforce/employees',
    headers: { cookie },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`add employee: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; nextDueAt: string; overdue: boolean };
}

/** Polls a job's progress until it ends. */
export async function waitForJob(t: TestApp, cookie: string, id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie } });
    const body = res.json();
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}
