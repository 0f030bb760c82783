/**
 * Starts the real Sibao server for browser tests: a free port, a fresh data folder, demo mode — exactly what a
 * first `npm start` does — and stops it with SIGTERM afterwards. Node runs this file directly (type stripping),
 * so it sticks to erasable TypeScript and imports with `.ts` extensions.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');

/** One line of `<data>/demo-accounts.json`. */
export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  tier: string;
  regionCode: string;
  orgUnit: string;
  description: string;
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  accounts: DemoAccount[];
  stop: () => Promise<void>;
}

const HEALTH_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Like sleep, but does not keep the test process alive once everything else is done. */
const deadline = (ms: number) => new Promise<'timeout'>((done) => setTimeout(done, ms, 'timeout').unref());

/**
 * Starts `apps/server/src/main.ts` under tsx with Node 24 and waits for `GET /api/v1/health` = 200.
 * The web app must have been built (`npm run test:e2e` builds it first). Server output goes to
 * `e2e/artifacts/server.log`. `SIBAO_E2E_SERVER_ENTRY` points the tests at another entry file.
 */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(join(repoRoot, 'apps', 'web', 'dist', 'index.html'))) {
    throw new Error('apps/web/dist is missing: run `npm run build:web` first (or `npm run test:e2e`).');
  }
  const entry = process.env.SIBAO_E2E_SERVER_ENTRY ?? join('apps', 'server', 'src', 'main.ts');
  await mkdir(artifactsDir, { recursive: true });
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'sibao-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(artifactsDir, 'server.log'));
  const tail: string[] = [];

  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'node'),
    [join(repoRoot, 'node_modules', '.bin', 'tsx'), entry],
    {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port), SIBAO_DATA_DIR: dataDir, SIBAO_MODE: 'demo' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail.push(...chunk.toString('utf8').split('\n'));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // If the test process dies first, do not leave a server behind.
  const killOnExit = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const cleanUp = async () => {
    await rm(dataDir, { recursive: true, force: true });
    log.end();
  };

  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await cleanUp();
      throw new Error(
        `The server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${tail.join('\n')}`,
      );
    }
    if (Date.now() - started > HEALTH_TIMEOUT_MS) {
      killOnExit();
      await cleanUp();
      throw new Error(`No 200 from /api/v1/health within ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/v1/health`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
  console.log(`server healthy on ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const accounts = JSON.parse(await readFile(join(dataDir, 'demo-accounts.json'), 'utf8')) as DemoAccount[];
  if (!Array.isArray(accounts) || accounts.length === 0)
    throw new Error('demo-accounts.json holds no accounts');

  return {
    baseUrl,
    dataDir,
    accounts,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const code = await Promise.race([exited(child), deadline(STOP_TIMEOUT_MS)]);
        if (code === 'timeout') {
          console.log('the server did not stop within 30 s of SIGTERM; killing it');
          killOnExit();
          await exited(child);
        } else {
          console.log(`server stopped on SIGTERM with exit code ${code}`);
        }
      }
      process.off('exit', killOnExit);
      await cleanUp();
    },
  };
}

/** The first demo account matching, or a clear failure naming what was looked for. */
export function findAccount(accounts: DemoAccount[], role: string, tier?: string): DemoAccount {
  const account = accounts.find(
    (candidate) => candidate.role === role && (tier === undefined || candidate.tier === tier),
  );
  if (!account) throw new Error(`No demo account with role ${role}${tier ? ` and tier ${tier}` : ''}`);
  return account;
}
