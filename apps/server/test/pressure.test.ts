import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { prepareDatabase } from '../src/platform/bootstrap';
import { testConfig } from './app';
import { createTestDatabase, type TestDatabase } from './db';

let d: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>['app'];
beforeAll(async () => {
  d = await createTestDatabase();
  await prepareDatabase(d);
  process.env.SIBAO_MAX_EVENT_LOOP_DELAY_MS = '50';
  app = (await buildApp({ config: testConfig(), database: d, logger: false })).app;
  delete process.env.SIBAO_MAX_EVENT_LOOP_DELAY_MS;
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await d.destroy();
});

function blockEventLoop(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a request handler gone wrong, or a burst of work: the loop cannot breathe
  }
}

describe('under pressure', () => {
  it('sheds load with 503 problem+json and Retry-After instead of falling over, then recovers', async () => {
    let shed: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < 30 && !shed; i++) {
      blockEventLoop(300);
      await new Promise((r) => setTimeout(r, 20));
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      if (res.statusCode === 503) shed = res;
    }
    expect(shed?.statusCode).toBe(503);
    expect(shed?.headers['content-type']).toContain('application/problem+json');
    expect(shed?.headers['retry-after']).toBe('5');
    expect(shed?.json().code).toBe('OVERLOADED');
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = (await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode === 200;
    }
    expect(recovered).toBe(true);
  });
});
