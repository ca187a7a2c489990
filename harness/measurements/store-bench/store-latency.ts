/**
 * C7 and the state-lookup target (store-claims.ts): per-operation latency (put, get, take) of
 * each store, in one process and one run, at several numbers of live
 * sessions. Sizes are interleaved (every store at 10, then every store at
 * 100, …) so the stores at one size are measured under the same conditions,
 * and the memory store is always among them: every other figure is reported
 * as a ratio to it.
 *
 * One repetition is a cycle put → get → take of a fresh session, so the number
 * of live sessions stays where it was filled. A point stops at its repetition
 * cap or, once it has its minimum sample, at its time budget: the json-file
 * store at 100,000 sessions rewrites ~35 MB per operation, so it gets a handful
 * of samples where the memory store gets thousands; each point records how
 * many it got.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { OAuthSession } from '../../../src/session-store.ts';
import { benchEnvironment, finishEnvironment, type BenchEnvironment } from './bench-environment.ts';
import { BenchStore, SeedingTooSlowError, withTimeout, type BenchStoreOpener, type SeedMethod } from './bench-store.ts';
import { round, summarizeNs, timerFloorNs, type OpStats } from './op-stats.ts';
import { makeSessionFactory } from './realistic-session.ts';
import { defaultStoreKinds } from './store-kinds.ts';

export const BASELINE_STORE = 'memory';
export const OPS = ['put', 'get', 'take'] as const;
export type Op = (typeof OPS)[number];

export interface StoreLatencyOptions {
  /** Store kinds; default: STORE_KINDS of src/session-store.ts as it is when this runs. The memory store is added when missing: it is the baseline. */
  stores?: string[];
  /** true: the seconds-long version inside `npm run repro`. */
  quick?: boolean;
  /** Working folders of the file stores go here (removed afterwards). */
  outDir: string;
  /** Overrides of the quick / full settings. */
  sizes?: number[];
  timeBudgetMsPerPoint?: number;
  maxRepetitions?: number;
  minRepetitions?: number;
  /** Time allowed to fill one store to one size through put() (stores without a seeder). */
  seedBudgetMs?: number;
  /** Watchdog per step (open, fill, point, close). */
  stepTimeoutMs?: number;
  opener?: BenchStoreOpener;
  onProgress?: (message: string) => void;
}

export interface LatencySettings {
  sizes: number[];
  timeBudgetMsPerPoint: number;
  maxRepetitions: number;
  minRepetitions: number;
  maxWarmupRepetitions: number;
  seedBudgetMs: number;
  /** Watchdog per step (open, fill, point, close): a store that hangs fails its row, not the run. */
  stepTimeoutMs: number;
}

export const FULL_LATENCY_SETTINGS: LatencySettings = {
  sizes: [10, 100, 1_000, 10_000, 100_000],
  timeBudgetMsPerPoint: 4_000,
  maxRepetitions: 2_000,
  minRepetitions: 5,
  maxWarmupRepetitions: 50,
  seedBudgetMs: 60_000,
  stepTimeoutMs: 120_000,
};

/**
 * Seconds, inside `npm run repro`: up to 1,000 live sessions, where the
 * json-file store already crosses C7's 1 ms (from 10,000 up, each of its
 * cycles costs tenths of a second; those sizes are the full run's).
 */
export const QUICK_LATENCY_SETTINGS: LatencySettings = {
  sizes: [10, 100, 1_000],
  timeBudgetMsPerPoint: 50,
  maxRepetitions: 200,
  minRepetitions: 3,
  maxWarmupRepetitions: 5,
  seedBudgetMs: 400,
  stepTimeoutMs: 4_000,
};

export interface LatencyPoint {
  liveSessions: number;
  /** Cycles timed (each gives one put, one get, one take sample). */
  repetitions: number;
  /** true when the time budget, not the repetition cap, ended the point. */
  stoppedByTimeBudget: boolean;
  durationMs: number;
  /** Sessions the store held after the point (count()): shows TTL clean-up or lost records, if any. */
  liveAfter: number;
  /** Cycles whose get or take did not return the session just put. */
  misses: number;
  ops: Record<Op, OpStats>;
  /** Stores that make the state themselves (sealed-state): the cost of mintState(), timed apart from put. */
  mintState?: OpStats;
}

export interface StoreLatency {
  store: string;
  available: boolean;
  /** Why the store could not be opened or measured. */
  error?: string;
  seedMethod?: SeedMethod;
  points: LatencyPoint[];
  skippedSizes: { liveSessions: number; reason: string }[];
}

export interface LatencyRatio {
  store: string;
  liveSessions: number;
  /** Store p50 / memory p50 at the same size, same run. */
  put: number;
  get: number;
  take: number;
}

export interface StoreLatencyResult {
  kind: 'store-latency';
  quick: boolean;
  startedAt: string;
  durationMs: number;
  environment: BenchEnvironment;
  settings: LatencySettings;
  baseline: string;
  /** Median cost of two back-to-back hrtime reads: no figure below means anything smaller. */
  timerFloorNs: number;
  method: string;
  stores: StoreLatency[];
  ratiosToMemory: LatencyRatio[];
}

export function latencySettings(
  options: Pick<StoreLatencyOptions, 'quick' | 'sizes' | 'timeBudgetMsPerPoint' | 'maxRepetitions' | 'minRepetitions' | 'seedBudgetMs' | 'stepTimeoutMs'>,
): LatencySettings {
  const base = options.quick ? QUICK_LATENCY_SETTINGS : FULL_LATENCY_SETTINGS;
  return {
    ...base,
    sizes: [...(options.sizes ?? base.sizes)].sort((a, b) => a - b),
    timeBudgetMsPerPoint: options.timeBudgetMsPerPoint ?? base.timeBudgetMsPerPoint,
    maxRepetitions: options.maxRepetitions ?? base.maxRepetitions,
    minRepetitions: options.minRepetitions ?? base.minRepetitions,
    seedBudgetMs: options.seedBudgetMs ?? base.seedBudgetMs,
    stepTimeoutMs: options.stepTimeoutMs ?? base.stepTimeoutMs,
  };
}

export async function measureStoreLatency(options: StoreLatencyOptions): Promise<StoreLatencyResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const environment = benchEnvironment();
  const settings = latencySettings(options);
  const progress = options.onProgress ?? (() => {});
  const kinds = withBaseline(options.stores ?? defaultStoreKinds());
  const workDir = path.join(options.outDir, 'store-latency-work');
  mkdirSync(workDir, { recursive: true });
  const makeSession = makeSessionFactory();

  const results = new Map<string, StoreLatency>();
  const open = new Map<string, BenchStore>();
  for (const kind of kinds) {
    const entry: StoreLatency = { store: kind, available: true, points: [], skippedSizes: [] };
    results.set(kind, entry);
    try {
      open.set(kind, await withTimeout(BenchStore.open(kind, path.join(workDir, kind), { opener: options.opener }), settings.stepTimeoutMs, `opening the ${kind} store`));
    } catch (error) {
      entry.available = false;
      entry.error = `could not open: ${messageOf(error)}`;
      progress(`store-latency: ${kind} not measured (${entry.error})`);
    }
  }

  const stopped = new Map<string, string>();
  const floor = timerFloorNs();
  try {
    for (const size of settings.sizes) {
      for (const kind of kinds) {
        const bench = open.get(kind);
        const entry = results.get(kind)!;
        if (!bench) {
          entry.skippedSizes.push({ liveSessions: size, reason: stopped.get(kind) ?? entry.error ?? 'not measured' });
          continue;
        }
        try {
          await withTimeout(bench.fillTo(size, makeSession, settings.seedBudgetMs), settings.seedBudgetMs + settings.stepTimeoutMs, `filling the ${kind} store to ${size}`);
          entry.seedMethod = bench.seedMethod;
          const abort = { aborted: false };
          const point = await withTimeout(measurePoint(bench, size, settings, makeSession, abort), settings.stepTimeoutMs, `measuring the ${kind} store at ${size}`, () => {
            abort.aborted = true;
          });
          entry.points.push(point);
          progress(`store-latency: ${kind} at ${size.toLocaleString('en-US')} live sessions: p50 put ${point.ops.put.p50Us} µs, get ${point.ops.get.p50Us} µs, take ${point.ops.take.p50Us} µs (${point.repetitions} cycles)`);
        } catch (error) {
          const reason = error instanceof SeedingTooSlowError ? error.message : `failed: ${messageOf(error)}`;
          if (!(error instanceof SeedingTooSlowError)) entry.error = reason;
          entry.skippedSizes.push({ liveSessions: size, reason });
          progress(`store-latency: ${kind} stops at ${size.toLocaleString('en-US')} live sessions (${reason})`);
          // Larger sizes would only be slower to reach; free the store now.
          stopped.set(kind, `not attempted: stopped at ${size.toLocaleString('en-US')} live sessions`);
          open.delete(kind);
          await disposeQuietly(bench, settings.stepTimeoutMs);
        }
      }
    }
  } finally {
    for (const bench of open.values()) await disposeQuietly(bench, settings.stepTimeoutMs);
    rmSync(workDir, { recursive: true, force: true });
  }

  const partial = {
    stores: kinds.map((k) => results.get(k)!),
  };
  const result: StoreLatencyResult = {
    kind: 'store-latency',
    quick: options.quick ?? false,
    startedAt,
    durationMs: 0,
    environment: finishEnvironment(environment),
    settings,
    baseline: BASELINE_STORE,
    timerFloorNs: floor,
    method:
      'One process; every store opened with a silent logger; per live-session count, untimed warm-up cycles, then timed cycles put → get → take of a fresh realistic session ' +
      '(process.hrtime.bigint around each awaited call) until the repetition cap, or the time budget once the minimum sample is reached; sizes interleaved across stores.',
    stores: partial.stores,
    ratiosToMemory: latencyRatiosToMemory(partial),
  };
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function disposeQuietly(bench: BenchStore, ms: number): Promise<void> {
  await withTimeout(bench.dispose(), ms, `closing the ${bench.kind} store`).catch(() => undefined);
}

async function measurePoint(
  bench: BenchStore,
  size: number,
  settings: LatencySettings,
  makeSession: () => OAuthSession,
  abort: { aborted: boolean },
): Promise<LatencyPoint> {
  const { store } = bench;
  const started = performance.now();
  const samples: Record<Op, number[]> = { put: [], get: [], take: [] };
  const mintSamples: number[] = [];
  let misses = 0;
  const cycle = async (record: boolean) => {
    if (abort.aborted) throw new Error('stopped by its watchdog');
    let s = makeSession();
    let mintNs: number | undefined;
    if (store.mintState) {
      const { state: _drawn, ...unkeyed } = s;
      const m0 = process.hrtime.bigint();
      const state = await store.mintState(unkeyed);
      mintNs = Number(process.hrtime.bigint() - m0);
      s = { ...unkeyed, state };
    }
    const t0 = process.hrtime.bigint();
    await store.put('sessions', s.state, s);
    const t1 = process.hrtime.bigint();
    const got = await store.get('sessions', s.state);
    const t2 = process.hrtime.bigint();
    const taken = await store.take('sessions', s.state);
    const t3 = process.hrtime.bigint();
    if (!record) return;
    samples.put.push(Number(t1 - t0));
    samples.get.push(Number(t2 - t1));
    samples.take.push(Number(t3 - t2));
    if (mintNs !== undefined) mintSamples.push(mintNs);
    if (!got || !taken) misses += 1;
  };
  const warmupUntil = started + settings.timeBudgetMsPerPoint * 0.1;
  for (let i = 0; i < settings.maxWarmupRepetitions && (i === 0 || performance.now() < warmupUntil); i += 1) await cycle(false);

  const timedFrom = performance.now();
  let stoppedByTimeBudget = false;
  while (samples.put.length < settings.maxRepetitions) {
    if (samples.put.length >= settings.minRepetitions && performance.now() - timedFrom >= settings.timeBudgetMsPerPoint) {
      stoppedByTimeBudget = true;
      break;
    }
    await cycle(true);
  }
  const liveAfter = await store.count('sessions');
  return {
    liveSessions: size,
    repetitions: samples.put.length,
    stoppedByTimeBudget,
    durationMs: Math.round(performance.now() - started),
    liveAfter,
    misses,
    ops: { put: summarizeNs(samples.put)!, get: summarizeNs(samples.get)!, take: summarizeNs(samples.take)! },
    ...(mintSamples.length ? { mintState: summarizeNs(mintSamples) } : {}),
  };
}

/** Each store's p50 over the memory store's at the same size, from the same run. */
export function latencyRatiosToMemory(result: Pick<StoreLatencyResult, 'stores'>): LatencyRatio[] {
  const baseline = result.stores.find((s) => s.store === BASELINE_STORE);
  if (!baseline) return [];
  const ratios: LatencyRatio[] = [];
  for (const entry of result.stores) {
    if (entry.store === BASELINE_STORE) continue;
    for (const point of entry.points) {
      const base = baseline.points.find((p) => p.liveSessions === point.liveSessions);
      if (!base) continue;
      const ratio = (op: Op) => round(point.ops[op].p50Us / base.ops[op].p50Us);
      ratios.push({ store: entry.store, liveSessions: point.liveSessions, put: ratio('put'), get: ratio('get'), take: ratio('take') });
    }
  }
  return ratios;
}

function withBaseline(kinds: readonly string[]): string[] {
  const unique = [...new Set(kinds)];
  return unique.includes(BASELINE_STORE) ? [BASELINE_STORE, ...unique.filter((k) => k !== BASELINE_STORE)] : [BASELINE_STORE, ...unique];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
