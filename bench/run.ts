/**
 * Runs every `bench/*.bench.ts` one after another, each in its own Node 24 process (with `--expose-gc`, so
 * memory figures are after garbage collection), passing `--size small|full`.
 *
 *   npm run bench                       full size (default)
 *   npm run bench -- --size small       or BENCH_SIZE=small: the CI size
 *   npm run bench -- rules              only benches whose file name contains "rules"
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSize } from './lib/harness';

const here = path.dirname(fileURLToPath(import.meta.url));

/** This process's Node when it is 24 or newer, else the one pinned through the `node` npm package. */
function node24(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  const pinned = path.join(here, '..', 'node_modules', 'node', 'bin', 'node');
  if (existsSync(pinned)) return pinned;
  throw new Error(`Node ≥ 24 is needed (this is ${process.version}); run npm install at the repository root`);
}

const size = benchSize();
const args = process.argv.slice(2);
// Positional arguments filter bench files by name; a bare `small` / `full` is the size that npm split off.
const filters = args.filter(
  (a, i) => !a.startsWith('--') && args[i - 1] !== '--size' && a !== 'small' && a !== 'full',
);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('bench: no bench/*.bench.ts matched');
  process.exit(1);
}

const node = node24();
const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file} (size ${size}) ===`);
  const started = Date.now();
  const r = spawnSync(node, ['--expose-gc', '--import', 'tsx', path.join(here, file), '--size', size], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, BENCH_SIZE: size },
  });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed.push(file);
    console.error(
      `=== ${file} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}) after ${secs} s ===`,
    );
  } else console.log(`=== ${file} done in ${secs} s ===`);
}
if (failed.length > 0) {
  console.error(`bench: ${failed.length} of ${files.length} failed: ${failed.join(', ')}`);
  process.exit(1);
}
