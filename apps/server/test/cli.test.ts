import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db';
import { runCli, startServer, tempDataDir } from './process';

// The CLI and the server as a user runs them, on the embedded database in a data folder of their own.
let dataDir: string;
beforeAll(() => {
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = () => ({ SIBAO_DATA_DIR: dataDir, SIBAO_MODE: 'demo' });

// Each case starts the CLI (tsx + PGlite) several times: seconds each on a quiet machine, a minute together
// when the suite shares two cores with other work.
describe('sibao CLI on the embedded database', { timeout: 180_000 }, () => {
  it('migrates, seeds the demo province and writes the accounts file with mode 0600', () => {
    const migrate = runCli(['migrate'], env());
    expect(migrate.code, migrate.stderr).toBe(0);
    const seed = runCli(['seed', '--size', 's'], env());
    expect(seed.code, seed.stderr).toBe(0);
    const file = path.join(dataDir, 'demo-accounts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const accounts = JSON.parse(readFileSync(file, 'utf8')) as Array<{
      username: string;
      role: string;
      apiToken?: string;
    }>;
    expect(accounts.find((a) => a.username === 'province.command')?.role).toBe('command_office');
    expect(accounts.find((a) => a.role === 'lab')?.apiToken).toMatch(/^sbt_/);
    expect(seed.stdout).not.toContain('undefined');
  });

  it('creates a user (password from stdin) and a scoped, expiring API token; refuses a weak password', async () => {
    const database = await openDatabase({ databaseUrl: null, dataDir });
    const [org] = await database.query<{ id: string }>(
      `select id from org_units where name = '郑州市核酸检测实验室(演示)'`,
    );
    await database.close();
    const weak = runCli(
      ['users:create', '--username', 'ops.weak', '--org-unit', org!.id, '--role', 'lab'],
      env(),
      'password\n',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('PASSWORD_WEAK');
    const ok = runCli(
      [
        'users:create',
        '--username',
        'lab.operator',
        '--name',
        '实验室操作员',
        '--org-unit',
        org!.id,
        '--role',
        'lab',
      ],
      env(),
      'Yellow-River-Lab-2022\n',
    );
    expect(ok.code, ok.stderr).toBe(0);
    const token = runCli(
      [
        'tokens:create',
        '--name',
        'lab-lims',
        '--org-unit',
        org!.id,
        '--role',
        'lab',
        '--permissions',
        'workforce.ingest_tests',
        '--days',
        '30',
      ],
      env(),
    );
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/sbt_[A-Za-z0-9_-]{40,}/);
    const tooMuch = runCli(
      [
        'tokens:create',
        '--name',
        'bad',
        '--org-unit',
        org!.id,
        '--role',
        'lab',
        '--permissions',
        'iam.manage_users',
      ],
      env(),
    );
    expect(tooMuch.code).toBe(1);
    const server = await startServer(env());
    try {
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'lab.operator', password: 'Yellow-River-Lab-2022' }),
      });
      expect(res.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('verifies the audit chain and purges nothing on a fresh install, saying so', () => {
    const verify = runCli(['audit:verify'], env());
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact/);
    const purge = runCli(['purge'], env());
    expect(purge.code, purge.stderr).toBe(0);
    expect(purge.stdout).toContain('Nothing is past its retention period');
  });

  it('backs up and restores the data folder', () => {
    const out = path.join(dataDir, 'backup.tar.gz');
    const backup = runCli(['backup', '--out', out], env());
    expect(backup.code, backup.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(1000);
    const restoreDir = tempDataDir();
    try {
      const restore = runCli(['restore', '--from', out], { SIBAO_DATA_DIR: restoreDir, SIBAO_MODE: 'demo' });
      expect(restore.code, restore.stderr).toBe(0);
      const verify = runCli(['audit:verify'], { SIBAO_DATA_DIR: restoreDir, SIBAO_MODE: 'demo' });
      expect(verify.stdout).toMatch(/Audit chain intact: [1-9]/);
    } finally {
      rmSync(restoreDir, { recursive: true, force: true });
    }
  });

  it('refuses a second process on the same data folder with a clear message', async () => {
    const server = await startServer(env());
    try {
      const second = runCli(['migrate'], env());
      expect(second.code).toBe(3);
      expect(second.stderr).toContain('正被进程');
      expect(second.stderr).toContain('a second server cannot open it');
      const backup = runCli(['backup'], env());
      expect(backup.code).toBe(3);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    expect(existsSync(path.join(dataDir, 'sibao.lock'))).toBe(false);
  });

  it('refuses to start in production mode without a secret', () => {
    const res = runCli(['migrate'], { ...env(), SIBAO_MODE: 'production', SIBAO_SECRET: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('SIBAO_SECRET is required in production mode');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('sibao CLI on PostgreSQL', () => {
  it('migrates, seeds on request, and backs up and restores with pg_dump / pg_restore', async () => {
    const { createTestDatabase } = await import('./db');
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    const dir = tempDataDir();
    try {
      const pgEnv = (url: string) => ({ DATABASE_URL: url, SIBAO_DATA_DIR: dir, SIBAO_MODE: 'demo' });
      expect(runCli(['seed', '--size', 's'], pgEnv(source.url!)).code).toBe(0);
      const out = path.join(dir, 'pg.dump');
      const backup = runCli(['backup', '--out', out], pgEnv(source.url!));
      expect(backup.code, backup.stderr).toBe(0);
      const refused = runCli(['restore', '--from', out], pgEnv(target.url!));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--force');
      const restore = runCli(['restore', '--from', out, '--force'], pgEnv(target.url!));
      expect(restore.code, restore.stderr).toBe(0);
      const [row] = await target.query<{ n: number }>('select count(*)::int as n from enterprises');
      expect(row!.n).toBe(1500);
      const verify = runCli(['audit:verify'], pgEnv(target.url!));
      expect(verify.stdout).toMatch(/Audit chain intact: [1-9]/);
    } finally {
      await source.destroy();
      await target.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
