/**
 * The shared benchmark harness: run named cases side by side, report cold and warm timings, memory and the
 * machine, and write `bench/results/<name>.json` + `.md` (`<name>.small.*` at the small size).
 *
 *   const size = benchSize();
 *   await runBench({ name: 'rules', title: '…', size, sizes: { rows: 50_000 }, baseline: 'json-rules-engine',
 *     cases: [{ name: 'matchAll', run: () => matchAll(rules, table, opts) }, …] });
 *
 * Timing: `cold` runs call `setup()` (fresh state) then time one `run()`; the first of them is the first run
 * in the process, so it also pays for JIT compilation. `warm` runs come after `warmup` untimed runs on one
 * setup. A case that runs on a sample sets `scale` (e.g. 50 for 1,000 of 50,000 rows): its times are
 * multiplied and the table says "extrapolated".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchSize = 'small' | 'full';

/**
 * `--size small|full` on the command line, else `BENCH_SIZE`, else `full`. (`npm run bench -- --size small`
 * from the repository root hands `--size` to npm, leaving a bare `small` argument, which counts too.)
 */
export function benchSize(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): BenchSize {
  const i = argv.indexOf('--size');
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--size='))?.slice('--size='.length);
  const fromNpm =
    env.npm_config_size === 'small' || env.npm_config_size === 'full' ? env.npm_config_size : undefined;
  const bare = argv.slice(2).find((a) => a === 'small' || a === 'full');
  const value = raw ?? env.BENCH_SIZE ?? fromNpm ?? bare ?? 'full';
  if (value !== 'small' && value !== 'full') throw new Error(`--size must be small or full, not ${value}`);
  return value;
}

/** A row count as the tables print it: 5k, 200k, 1M, 3M. */
export const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`);

export interface BenchCase {
  readonly name: string;
  /** Fresh state for a cold run; also run once before the warm runs. Not timed. */
  readonly setup?: () => unknown | Promise<unknown>;
  readonly run: () => unknown | Promise<unknown>;
  /** Cold runs, each after a fresh `setup()` (default 3). */
  readonly coldRuns?: number;
  /** Untimed runs before the warm ones (default 3). */
  readonly warmup?: number;
  /** Timed warm runs (default 10). */
  readonly iterations?: number;
  /** The case ran on 1/scale of the data: times are multiplied by `scale` and marked extrapolated. */
  readonly scale?: number;
  readonly note?: string;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverage: readonly number[];
}

export interface CaseResult {
  readonly name: string;
  readonly note?: string;
  readonly scale: number;
  /** Milliseconds, already multiplied by `scale`. */
  readonly coldFirstMs: number;
  readonly coldMedianMs: number;
  readonly coldMs: readonly number[];
  readonly warmMedianMs: number;
  readonly warmP95Ms: number;
  readonly warmMs: readonly number[];
  /** Baseline warm median ÷ this case's warm median (> 1: faster than the baseline). */
  readonly speedupVsBaseline: number | null;
  readonly memory: {
    /** JS heap + external (typed arrays) held after a run, over what was held before the case, after GC. */
    readonly retainedMB: number;
    /** Highest resident set size seen during the case. */
    readonly peakRssMB: number;
  };
}

export interface BenchReport {
  readonly name: string;
  readonly title: string;
  readonly size: BenchSize;
  readonly sizes: Readonly<Record<string, string | number>>;
  readonly baseline: string;
  readonly machine: MachineInfo;
  readonly startedAt: string;
  readonly cases: readonly CaseResult[];
  readonly notes: readonly string[];
  /** Bench-specific figures (agreement checks, per-row costs …), also rendered as a list. */
  readonly extra: Readonly<Record<string, string | number>>;
}

export interface BenchSpec {
  readonly name: string;
  readonly title: string;
  readonly size: BenchSize;
  readonly sizes: Readonly<Record<string, string | number>>;
  /** Name of the case the others are compared with. */
  readonly baseline: string;
  readonly cases: readonly BenchCase[];
  readonly notes?: readonly string[];
  /** Computed after the cases, from what they measured (ratios between sizes, per-row costs …). */
  readonly extra?: (
    cases: readonly CaseResult[],
  ) => Record<string, string | number> | Promise<Record<string, string | number>>;
  /** Default: `bench/results`. */
  readonly resultsDir?: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
};
const heldBytes = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const MB = 2 ** 20;
/** Holds a case's last result while its memory is measured. */
const held: unknown[] = [];
const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Times one call in milliseconds. */
export async function timeOnce(
  fn: () => unknown | Promise<unknown>,
): Promise<{ ms: number; value: unknown }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function measureCase(c: BenchCase): Promise<Omit<CaseResult, 'speedupVsBaseline'>> {
  const scale = c.scale ?? 1;
  let peakRss = process.memoryUsage().rss;
  const sampleRss = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  gc();
  const before = heldBytes();
  const cold: number[] = [];
  for (let i = 0; i < (c.coldRuns ?? 3); i++) {
    await c.setup?.();
    cold.push((await timeOnce(c.run)).ms * scale);
    sampleRss();
  }
  await c.setup?.();
  for (let i = 0; i < (c.warmup ?? 3); i++) {
    await c.run();
    sampleRss();
  }
  const warm: number[] = [];
  let last: unknown;
  for (let i = 0; i < (c.iterations ?? 10); i++) {
    const t = await timeOnce(c.run);
    last = t.value;
    warm.push(t.ms * scale);
    sampleRss();
  }
  held.push(last); // the last result counts as retained
  gc();
  const retained = heldBytes() - before;
  held.pop();
  return {
    name: c.name,
    ...(c.note !== undefined ? { note: c.note } : {}),
    scale,
    coldFirstMs: round(cold[0] ?? Number.NaN),
    coldMedianMs: round(median(cold)),
    coldMs: cold.map((x) => round(x)),
    warmMedianMs: round(median(warm)),
    warmP95Ms: round(percentile(warm, 95)),
    warmMs: warm.map((x) => round(x)),
    memory: { retainedMB: round(Math.max(0, retained) / MB, 1), peakRssMB: round(peakRss / MB, 1) },
  };
}

/** Formats milliseconds for the table: 0.84 ms, 42.1 ms, 1.53 s, 2.1 min. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 120_000) return `${round(ms / 60_000, 1)} min`;
  if (ms >= 1000) return `${round(ms / 1000, 2)} s`;
  if (ms >= 10) return `${round(ms, 1)} ms`;
  return `${round(ms, 3)} ms`;
}

function formatRatio(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (x >= 100) return `${Math.round(x).toLocaleString('en-US')}×`;
  return `${round(x, x >= 10 ? 1 : 2)}×`;
}

export function toMarkdown(r: BenchReport): string {
  const sizes = Object.entries(r.sizes)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');
  const m = r.machine;
  const lines = [
    `# ${r.title}`,
    '',
    `Size **${r.size}** — ${sizes}.  `,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAverage.join(' / ')}.  `,
    `Run ${r.startedAt}. Baseline: **${r.baseline}**.`,
    '',
    `| case | cold first | cold median | warm median | warm p95 | speed-up vs ${r.baseline} | retained memory | peak RSS |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of r.cases) {
    const name = c.scale !== 1 ? `${c.name} (extrapolated ×${c.scale})` : c.name;
    lines.push(
      `| ${name} | ${formatMs(c.coldFirstMs)} | ${formatMs(c.coldMedianMs)} | ${formatMs(c.warmMedianMs)} | ${formatMs(c.warmP95Ms)} | ${formatRatio(c.speedupVsBaseline)} | ${c.memory.retainedMB} MB | ${c.memory.peakRssMB} MB |`,
    );
  }
  const notes = r.cases.filter((c) => c.note).map((c) => `- **${c.name}**: ${c.note}`);
  const extra = Object.entries(r.extra).map(
    ([k, v]) => `- ${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`,
  );
  if (notes.length > 0) lines.push('', ...notes);
  if (extra.length > 0) lines.push('', ...extra);
  if (r.notes.length > 0) lines.push('', ...r.notes.map((n) => `- ${n}`));
  lines.push(
    '',
    'Cold runs each follow a fresh setup; the first is also the first run in the process (JIT). Warm runs follow',
    'untimed warm-up runs. Speed-up = baseline warm median ÷ case warm median. Retained memory = JS heap +',
    'external buffers held after the case, over what was held before it, after GC.',
    '',
  );
  return lines.join('\n');
}

const defaultResultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function writeResults(report: BenchReport, dir = defaultResultsDir): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const base = report.size === 'full' ? report.name : `${report.name}.small`;
  const json = path.join(dir, `${base}.json`);
  const md = path.join(dir, `${base}.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, toMarkdown(report));
  return { json, md };
}

/** Runs the cases one after another, prints the table and writes the results. */
export async function runBench(spec: BenchSpec): Promise<BenchReport> {
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  if (!(globalThis as { gc?: unknown }).gc) console.warn('bench: run with --expose-gc for memory figures');
  const measured: Omit<CaseResult, 'speedupVsBaseline'>[] = [];
  for (const c of spec.cases) {
    console.log(`bench ${spec.name}: ${c.name} …`);
    const r = await measureCase(c);
    console.log(
      `  cold ${formatMs(r.coldMedianMs)}, warm ${formatMs(r.warmMedianMs)} (p95 ${formatMs(r.warmP95Ms)})`,
    );
    measured.push(r);
  }
  const base = measured.find((c) => c.name === spec.baseline);
  const cases = measured.map((c) => ({
    ...c,
    speedupVsBaseline: base ? round(base.warmMedianMs / c.warmMedianMs, 1) : null,
  }));
  const report: BenchReport = {
    name: spec.name,
    title: spec.title,
    size: spec.size,
    sizes: spec.sizes,
    baseline: spec.baseline,
    machine,
    startedAt,
    cases,
    notes: spec.notes ?? [],
    extra: (await spec.extra?.(cases)) ?? {},
  };
  const files = writeResults(report, spec.resultsDir);
  console.log(toMarkdown(report));
  console.log(`bench ${spec.name}: wrote ${files.json} and ${files.md}`);
  return report;
}
