/**
 * `npm run bench`: the long measurements (minutes, not seconds). Writes
 * runs/<timestamp>-bench/bench.json and the SVG charts beside it, and prints
 * a table. `npm run repro` runs the quick versions of the same functions.
 *
 *   npm run bench                         every store of STORE_KINDS, full sizes
 *   npm run bench -- --stores memory,json-file
 *   npm run bench -- --quick              the repro-sized version, to check it
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClaimRow } from '../measure/measure-context.ts';
import type { WrittenChart } from '../charts/store-latency-chart.ts';
import { createRunFolder } from '../run/run-folder.ts';
import { REDIS_INSTALL_HINT, RedisServer, redisServerAvailable } from '../redis/redis-server.ts';
import { benchStoreOpener, type BenchStoreOpener } from '../bench/bench-store.ts';
import { claimC5, claimC7, lookupTargets, type LookupTarget } from '../bench/store-claims.ts';
import { measureStoreFootprint, type StoreFootprintResult } from '../bench/store-footprint.ts';
import { measureStoreLatency, OPS, type StoreLatencyResult } from '../bench/store-latency.ts';
import { defaultStoreKinds } from '../bench/store-kinds.ts';

interface BenchOptions {
  stores: string[];
  quick: boolean;
  outDir: string;
  /** Opens each store kind (with the redis server this run started, when there is one). */
  opener: BenchStoreOpener;
  onProgress: (message: string) => void;
}

/** What one long measurement hands back: its JSON result, claim rows, charts, and lines for the terminal. */
interface BenchStepOutput {
  result: unknown;
  claims?: ClaimRow[];
  charts?: WrittenChart[];
  extra?: Record<string, unknown>;
  table: string[];
}

interface BenchStep {
  id: string;
  run: (options: BenchOptions) => Promise<BenchStepOutput>;
}

/**
 * The long measurements, in order. Another one (C8 at 2,000 flows, the
 * 500-flows-per-second figure of issue 6, …) joins as one more entry: an id
 * and a function returning a BenchStepOutput.
 */
const STEPS: BenchStep[] = [
  {
    id: 'store-footprint',
    run: async (options) => {
      const result = await measureStoreFootprint(options);
      return { result, claims: [claimC5(result)], table: footprintTable(result) };
    },
  },
  {
    id: 'store-latency',
    run: async (options) => {
      const result = await measureStoreLatency({ ...options, chartFilePrefix: '' });
      const targets = lookupTargets(result);
      // No flow latencies here: the lead passes the scenario runs' flow p50 per store to claimC7 in REPORT.md.
      return { result, claims: [claimC7(result)], charts: result.charts, extra: { lookupTargets: targets }, table: [...latencyTable(result), '', ...lookupTable(targets)] };
    },
  },
  // The lead adds further long measurements here.
];

function parseArgs(argv: string[]): { stores?: string[]; quick: boolean } {
  const out: { stores?: string[]; quick: boolean } = { quick: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') out.quick = true;
    else if (arg === '--stores' || arg.startsWith('--stores=')) {
      const value = arg.includes('=') ? arg.slice('--stores='.length) : argv[(i += 1)];
      if (!value) throw new Error('--stores expects a comma-separated list, e.g. --stores memory,json-file');
      out.stores = value.split(',').map((s) => s.trim()).filter(Boolean);
    } else throw new Error(`unknown option "${arg}": expected --quick or --stores a,b`);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const started = performance.now();
  const run = createRunFolder(undefined, 'bench');
  // Any store that falls back to os.tmpdir() writes inside this run, never into the /tmp other runs share.
  process.env.TMPDIR = path.join(run.dir, 'tmp');
  mkdirSync(process.env.TMPDIR, { recursive: true });
  const progress = (message: string) => process.stderr.write(`  … ${message}\n`);
  let stores = args.stores ?? defaultStoreKinds();
  // The redis store needs a server: this run's own, like the scenarios' (or REDIS_URL when set).
  let redis: RedisServer | undefined;
  if (stores.includes('redis') && !process.env.REDIS_URL) {
    if (redisServerAvailable()) redis = await RedisServer.start({ logDir: run.logDir, name: 'bench-redis-server' });
    else {
      process.stderr.write(`bench: skipping the redis rows: ${REDIS_INSTALL_HINT}\n`);
      stores = stores.filter((s) => s !== 'redis');
    }
  }
  const options: BenchOptions = { stores, quick: args.quick, outDir: run.dir, opener: benchStoreOpener({ redisUrl: redis?.url }), onProgress: progress };
  process.stderr.write(`bench: ${options.quick ? 'quick' : 'full'} run of ${STEPS.length} measurements over ${options.stores.join(', ')} → ${run.dir}\n`);
  try {
    return await runSteps(options, run.id, started);
  } finally {
    await redis?.stop();
  }
}

async function runSteps(options: BenchOptions, runId: string, started: number): Promise<number> {
  const runDir = options.outDir;

  const document: { kind: 'bench'; runId: string; quick: boolean; stores: string[]; durationMs: number; claims: ClaimRow[]; charts: WrittenChart[]; steps: Record<string, unknown> } = {
    kind: 'bench',
    runId,
    quick: options.quick,
    stores: options.stores,
    durationMs: 0,
    claims: [],
    charts: [],
    steps: {},
  };
  const lines: string[] = [];
  let failed = 0;
  for (const step of STEPS) {
    const stepStarted = performance.now();
    process.stderr.write(`bench: ${step.id}\n`);
    try {
      const output = await step.run(options);
      document.steps[step.id] = { result: output.result, ...output.extra };
      document.claims.push(...(output.claims ?? []));
      document.charts.push(...(output.charts ?? []));
      lines.push(`## ${step.id} (${((performance.now() - stepStarted) / 1000).toFixed(1)} s)`, ...output.table, '');
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      document.steps[step.id] = { error: message };
      lines.push(`## ${step.id}: FAILED`, message, '');
    }
  }
  document.durationMs = Math.round(performance.now() - started);
  writeFileSync(path.join(runDir, 'bench.json'), `${JSON.stringify(document, null, 2)}\n`);

  lines.push('## claims', ...document.claims.map(claimLine), '');
  lines.push(`charts: ${document.charts.map((c) => c.writtenTo).join(', ') || 'none'}`);
  lines.push(`bench.json: ${path.join(runDir, 'bench.json')} (${(document.durationMs / 1000).toFixed(1)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return failed ? 1 : 0;
}

function claimLine(row: ClaimRow): string {
  return `${row.id} ${row.verdict}${row.conditions ? ` (${row.conditions})` : ''}: ${row.figure}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function footprintTable(result: StoreFootprintResult): string[] {
  const rows = result.disk.filter((d) => d.available).map((d) => [
    d.store,
    ...result.settings.diskSizes.map((size) => {
      const p = d.points.find((q) => q.sessions === size);
      if (!d.hasFiles) return 'no file';
      if (!p) return 'skipped';
      return `${p.bytes} B (${p.bytesPerSession}${p.marginalBytesPerSession !== undefined ? `, +${p.marginalBytesPerSession}` : ''})`;
    }),
    d.seedMethod ?? '–',
  ]);
  const notMeasured = result.disk.filter((d) => !d.available).map((d) => `  ${d.store}: not measured: ${d.error}`);
  const heapLines = result.heap.map((h) =>
    h.error
      ? `heap of ${h.store}: not measured (${h.error})`
      : `heap of ${h.store} holding ${h.sessions.toLocaleString('en-US')} sessions${h.emailPerSession ? ' (an email string per session)' : ' (URI and email shared, as this server builds them)'}: ${h.bytesPerSession} B per session (${h.heapDeltaBytes} B in all; pid ${h.pid})`,
  );
  return [
    `disk: folder bytes at N sessions (bytes per session, +marginal bytes per session); claim ${result.claimedBytesPerSession} B`,
    ...table(['store', ...result.settings.diskSizes.map((s) => `N=${s.toLocaleString('en-US')}`), 'filled by'], rows),
    ...notMeasured,
    ...heapLines,
  ];
}

function latencyTable(result: StoreLatencyResult): string[] {
  const base = result.stores.find((s) => s.store === result.baseline);
  const rows: string[][] = [];
  for (const entry of result.stores) {
    for (const p of entry.points) {
      const b = base?.points.find((q) => q.liveSessions === p.liveSessions);
      rows.push([
        entry.store,
        p.liveSessions.toLocaleString('en-US'),
        ...OPS.map((op) => `${p.ops[op].p50Us}${b && entry !== base ? ` (×${(p.ops[op].p50Us / b.ops[op].p50Us).toFixed(1)})` : ''}`),
        p.mintState ? String(p.mintState.p50Us) : '–',
        String(p.repetitions),
      ]);
    }
  }
  const notMeasured = result.stores.flatMap((entry) =>
    entry.skippedSizes.length ? [`  ${entry.store}: not measured at ${entry.skippedSizes.map((s) => s.liveSessions.toLocaleString('en-US')).join(', ')}: ${entry.skippedSizes[0]!.reason}`] : [],
  );
  const misses = result.stores.flatMap((entry) => entry.points.filter((p) => p.misses > 0).map((p) => `  ${entry.store} at ${p.liveSessions}: ${p.misses} cycles did not get back the session just put`));
  return [
    `per-operation p50 in µs (× memory at the same size); timer floor ${result.timerFloorNs} ns; load average ${result.environment.loadAverageAtStart} → ${result.environment.loadAverageAtEnd}`,
    ...table(['store', 'live', 'put', 'get', 'take', 'mintState', 'cycles'], rows),
    ...notMeasured,
    ...misses,
  ];
}

function lookupTable(targets: LookupTarget[]): string[] {
  const mark = (v: boolean | null) => (v === null ? 'unknown' : v ? 'pass' : 'FAIL');
  return [
    'issue 6 lookup target: get p50 ≤ 50 µs, ≤ 2× from 10 to 100,000 live sessions',
    ...table(
      ['store', 'p50 at 10 (µs)', 'p50 at 100k (µs)', 'ratio', '≤ 50 µs', 'flat'],
      targets.map((t) => [t.store, String(t.p50At10Us ?? '–'), String(t.p50At100kUs ?? '–'), String(t.ratio ?? '–'), mark(t.within50us), mark(t.flat)]),
    ),
    ...targets.filter((t) => t.note).map((t) => `  ${t.store}: ${t.note}`),
  ];
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
