import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoAccount, DemoResult } from './demo.generate';

/**
 * Writes the demo accounts to `<dataDir>/demo-accounts.json` (mode 0600): an array with one account per role
 * per tier; the lab's entry also carries the lab's API token (`apiToken`), which labs use to push results.
 */
export function writeDemoAccounts(dataDir: string, result: DemoResult): string {
  const file = path.join(dataDir, 'demo-accounts.json');
  const entries: Array<DemoAccount & { apiToken?: string; apiTokenExpiresAt?: string }> = result.accounts.map(
    (a) =>
      a.role === 'lab'
        ? { ...a, apiToken: result.labToken.token, apiTokenExpiresAt: result.labToken.expiresAt }
        : a,
  );
  writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function printDemoAccounts(result: Pick<DemoResult, 'accounts' | 'labToken'>, file: string) {
  const lines = [
    `  演示账户 Demo accounts (saved in ${file}):`,
    ...result.accounts.map(
      (a) => `    ${a.username.padEnd(28)} ${a.password}   ${`${a.role}/${a.tier}`.padEnd(26)} ${a.orgUnit}`,
    ),
    '',
    `  实验室接口令牌 Lab API token (${result.labToken.orgUnit}): ${result.labToken.token}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
