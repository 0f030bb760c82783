import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/platform/logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino(loggerOptions('info'), stream), text: () => lines.join('') };
}

describe('logging never carries secrets or personal data', () => {
  it('redacts cookies, authorization headers, passwords, ID numbers and phones', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: { headers: { cookie: 'sibao_session=SECRET-COOKIE', authorization: 'Bearer sbt_SECRET-TOKEN' } },
        res: { headers: { 'set-cookie': 'sibao_session=SECRET-SET-COOKIE' } },
        input: {
          password: 'Secret-Password-1',
          newPassword: 'Secret-Password-2',
          idNumber: '410105199003071236',
          phone: '13812348000',
        },
        body: { anything: 'SECRET-BODY' },
      },
      'request',
    );
    const out = text();
    for (const secret of [
      'SECRET-COOKIE',
      'SECRET-TOKEN',
      'SECRET-SET-COOKIE',
      'Secret-Password-1',
      'Secret-Password-2',
      '410105199003071236',
      '13812348000',
      'SECRET-BODY',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('logs a failed query without the values bound to it', async () => {
    const { createTestDatabase } = await import('./db');
    const d = await createTestDatabase();
    try {
      const { sql } = await import('drizzle-orm');
      const failure = await d.db
        .execute(sql`select * from no_such_table where id_number = ${'410105199003071236'}`)
        .catch((e: unknown) => e);
      const { logger, text } = capture();
      logger.error({ err: failure }, 'unhandled error');
      const out = text();
      expect(out).toContain('no_such_table');
      expect(out).not.toContain('410105199003071236');
    } finally {
      await d.destroy();
    }
  });
});
