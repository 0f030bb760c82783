import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { computeUsccCheckChar } from '@sibao/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db';
import { startServer, tempDataDir } from './process';

let dataDir: string;
beforeAll(() => {
  dataDir = tempDataDir();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ROWS = 20_000;
const COUNTIES = ['410102', '410103', '410104', '410105'];

function csv(): Buffer {
  const lines = [
    '统一社会信用代码,企业(项目)名称,行业领域,所在县(市、区)代码,员工人数,年产值或计划总投资(万元)',
  ];
  for (let i = 0; i < ROWS; i++) {
    const region = COUNTIES[i % COUNTIES.length]!;
    const first17 = `91${region}CR${String(i).padStart(7, '0')}`;
    lines.push(
      `${first17}${computeUsccCheckChar(first17)},崩溃测试企业${i}有限公司,工业生产,${region},${10 + (i % 90)},${100 + i}`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function countImported(): Promise<number> {
  const database = await openDatabase({ databaseUrl: null, dataDir });
  try {
    const [row] = await database.query<{ n: number }>(
      `select count(*)::int as n from enterprises where name like '崩溃测试企业%'`,
    );
    return row!.n;
  } finally {
    await database.close();
  }
}

describe('a server killed during an import', () => {
  it('leaves all rows or none after SIGKILL and restart', async () => {
    const env = { SIBAO_DATA_DIR: dataDir, SIBAO_MODE: 'demo' };
    const server = await startServer(env);
    const accounts = JSON.parse(readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as Array<{
      username: string;
      password: string;
    }>;
    const official = accounts.find((a) => a.username === 'zhengzhou.command')!;
    const cookie = await signIn(server.url, official.username, official.password);
    const upload = await fetch(`${server.url}/api/v1/enterprises/import`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'text/csv',
        'idempotency-key': randomUUID(),
        'x-file-name': 'crash.csv',
      },
      body: csv(),
    });
    expect(upload.status).toBe(202);
    const { progressId } = (await upload.json()) as { progressId: string };
    // Kill it as soon as the import is under way.
    let seen = 'queued';
    for (let i = 0; i < 600 && seen === 'queued'; i++) {
      const res = await fetch(`${server.url}/api/v1/jobs/${progressId}`, { headers: { cookie } });
      seen = ((await res.json()) as { status: string }).status;
      if (seen === 'queued') await new Promise((r) => setTimeout(r, 50));
    }
    server.child.kill('SIGKILL');
    await server.exited;

    const afterCrash = await countImported();
    expect([0, ROWS]).toContain(afterCrash);

    // The restarted server takes over the stale lock and serves the same data.
    const again = await startServer(env);
    try {
      const cookie2 = await signIn(again.url, official.username, official.password);
      const list = await fetch(
        `${again.url}/api/v1/enterprises?q=${encodeURIComponent('崩溃测试企业1有限公司')}`,
        { headers: { cookie: cookie2 } },
      );
      expect(list.status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
    expect([0, ROWS]).toContain(await countImported());
  });
});
