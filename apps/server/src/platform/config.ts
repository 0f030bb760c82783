import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Mode = 'demo' | 'production';

export interface Config {
  port: number;
  host: string;
  mode: Mode;
  dataDir: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | null;
  secret: string;
  /** Serve the OpenAPI browser at /api/docs (always in demo mode; opt-in in production). */
  apiDocs: boolean;
  /** Built web app to serve at `/`; absent when not built. */
  webDist: string;
  /** Password rotation period for officials, in days (等保2.0 三级). */
  passwordMaxAgeDays: number;
  version: string;
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/**
 * Reads the configuration from the environment. In demo mode a missing secret is generated once into the
 * data folder (mode 0600); production refuses to start without SIBAO_SECRET.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode: Mode = env.SIBAO_MODE === 'production' ? 'production' : 'demo';
  if (env.SIBAO_MODE && env.SIBAO_MODE !== 'production' && env.SIBAO_MODE !== 'demo') {
    throw new Error(`SIBAO_MODE must be "demo" or "production", not "${env.SIBAO_MODE}"`);
  }
  const dataDir = path.resolve(env.SIBAO_DATA_DIR ?? path.join(repoRoot, 'data'));
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port: ${env.PORT}`);
  let secret = env.SIBAO_SECRET ?? '';
  if (!secret) {
    if (mode === 'production') {
      throw new Error('SIBAO_SECRET is required in production mode (at least 32 random characters).');
    }
    secret = demoSecret(dataDir);
  }
  if (secret.length < 32) throw new Error('SIBAO_SECRET must be at least 32 characters long.');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    mode,
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    secret,
    apiDocs: mode === 'demo' || env.SIBAO_API_DOCS === 'true',
    webDist: path.join(repoRoot, 'apps/web/dist'),
    passwordMaxAgeDays: Number(env.SIBAO_PASSWORD_MAX_AGE_DAYS ?? 180),
    version: readVersion(),
  };
}

function demoSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export { repoRoot };
