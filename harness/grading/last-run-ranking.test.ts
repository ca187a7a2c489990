/**
 * What the grading ranks on the figures of the last committed run
 * (the REPORT.md committed before these rules), re-judged by them: n/a and
 * recorded cases out of every count, the forced races of sqlite and redis
 * raced at the store's own level (prevented), the broken-file cases judged
 * on what a store can do about the damage, the session file's mode judged
 * once. Fixed data: the counts per store and column, not a run.
 *
 * TTL: the file stores and sealed-state compare two processes' clocks, so
 * the skew moves their TTL (conditional). redis decides by its server's
 * clock alone; it is shown both ways, since the run's virtual clock moves
 * the Node processes' clocks and not, as of this change, redis-server's.
 */
import { describe, expect, test } from 'vitest';
import type { CaseOutcome, ReliabilityRow } from '../measurements/measure-context.ts';
import type { TtlProbe } from '../measurements/ttl-clock/flow-across.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { defaultTarget } from '../deploy/target/default-target.ts';
import { gradeStores } from './grade-stores.ts';
import { concurrencyCell } from '../measurements/concurrency/c8-measurement.ts';
import type { ConcurrencyResult } from '../measurements/concurrency/concurrency-result.ts';
import type { MeasurementRecord } from '../measurements/measurement.ts';
import type { StoreLatencyResult } from '../measurements/store-bench/store-latency.ts';
import { ttlColumn } from '../measurements/ttl-clock/ttl-measurement.ts';
import type { TtlResult } from '../measurements/ttl-clock/ttl-result.ts';
import { publishedRecord, rowColumnRecords } from './test-fixtures/graded-records.ts';

type Counts = [pass: number, fail: number, na: number];
interface StoreFigures {
  /** Hand-offs of 5 in single-process, split-process, isolated, callback-restart. */
  topology: [number, number, number, number];
  /** Flows passed of 96 at 64 at once. */
  concurrency: number;
  races: [CaseOutcome, CaseOutcome];
  crash: Counts;
  security: Counts;
  /** Who decides expiry: the callback's clock against the tool's stamp, or one clock of the store's own. */
  ttl: 'two clocks' | 'two clocks, keeps future stamps' | 'own clock' | 'own clock, not moved by the run';
  takeUs: number;
  getUs: number;
}

const LAST_RUN: Record<string, StoreFigures> = {
  memory: { topology: [5, 0, 0, 0], concurrency: 0, races: ['n/a', 'n/a'], crash: [0, 0, 11], security: [6, 0, 3], ttl: 'two clocks, keeps future stamps', takeUs: 0.3, getUs: 0.7 },
  'json-file': { topology: [5, 5, 0, 5], concurrency: 46, races: ['fail', 'fail'], crash: [4, 7, 0], security: [6, 3, 0], ttl: 'two clocks, keeps future stamps', takeUs: 18449, getUs: 2994 },
  'atomic-file': { topology: [5, 5, 0, 5], concurrency: 96, races: ['pass', 'pass'], crash: [9, 0, 2], security: [9, 0, 0], ttl: 'two clocks', takeUs: 12180, getUs: 3110 },
  sqlite: { topology: [5, 5, 0, 5], concurrency: 96, races: ['pass', 'pass'], crash: [5, 4, 2], security: [9, 0, 0], ttl: 'two clocks', takeUs: 24.7, getUs: 12.2 },
  redis: { topology: [5, 5, 5, 5], concurrency: 96, races: ['pass', 'pass'], crash: [0, 0, 11], security: [6, 0, 3], ttl: 'own clock', takeUs: 57.7, getUs: 56.4 },
  'sealed-state': { topology: [5, 5, 5, 5], concurrency: 96, races: ['n/a', 'fail'], crash: [0, 0, 11], security: [5, 1, 3], ttl: 'two clocks', takeUs: 6.5, getUs: 6.4 },
};

const MIN = 60_000;
/** The load at 64 at once overlapped as its name says (the grade is then about the store). */
const OVERLAPPED = { windows: 96, maxInFlight: 64, medianInFlight: 60, callbacks: 96, callbacksDuringOtherStarts: 90, nominalReached: true };
const INVALID = 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.';
const probe = (advancedMs: number, accepted: boolean, callbackSkewMs = 0): TtlProbe => ({
  flow: 0,
  advancedMs,
  toolSkewMs: 0,
  callbackSkewMs,
  started: true,
  callback: accepted ? { outcome: 'success', message: 'ok' } : { outcome: 'invalid-state', message: INVALID },
  provider: { readable: true, redemptions: accepted ? 1 : 0, redeemedOk: accepted ? 1 : 0 },
});

function ttlOf(store: string, how: StoreFigures['ttl']) {
  const ownClockMoved = how === 'own clock';
  const ownClockStill = how === 'own clock, not moved by the run';
  const decide = (at: number, skew: number) => (ownClockStill ? true : ownClockMoved ? at <= 15 * MIN : at + skew <= 15 * MIN);
  const split = store !== 'memory';
  return {
    store,
    processes: [],
    durationMs: 1,
    boundary: { before: probe(15 * MIN - 1000, true), after: probe(15 * MIN + 1000, ownClockStill) },
    skew: split ? { applicable: true as const, cases: [2 * MIN, -2 * MIN].flatMap((skew) => [13.01, 14.01, 16.01].map((m) => probe(m * MIN, decide(m * MIN, skew), skew))) } : { applicable: false as const, reason: 'one process' },
    futureTimestamp: { aheadMs: 1440 * MIN, callbackAfter20Min: probe(20 * MIN, how === 'two clocks, keeps future stamps' || ownClockStill), callbackPastTimestampPlusTtl: probe(16 * MIN, false) },
  };
}

function rowsOf(store: string, group: ReliabilityRow['group'], prefix: string, [pass, fail, na]: Counts): ReliabilityRow[] {
  const outcomes: CaseOutcome[] = [...Array<CaseOutcome>(pass).fill('pass'), ...Array<CaseOutcome>(fail).fill('fail'), ...Array<CaseOutcome>(na).fill('n/a')];
  return outcomes.map((outcome, i) => ({ id: `${prefix}-${i}`, group, what: '', perStore: { [store]: { outcome, detail: '' } }, command: '' }));
}

function document(figures: Record<string, StoreFigures>): ResultsDocument {
  const cells = Object.entries(figures).flatMap(([store, f]) =>
    (['single-process', 'split-process', 'isolated', 'callback-restart'] as const).map((scenario, i) => {
      const ok = f.topology[i]!;
      return {
        scenario,
        topology: scenario === 'callback-restart' ? 'split-process' : scenario,
        store,
        flows: 5,
        tokenHandoffs: { ok, failed: 0, superseded: 0, notObservable: 0 },
        errors: ok === 5 ? [] : [{ stage: 'state-lookup', message: INVALID, count: 5 - ok }],
        latencyMs: { p50: 50 },
        expected: { outcome: 'pass' },
      };
    }),
  );
  const reliability = Object.entries(figures).flatMap(([store, f]) => [
    ...(['lost-update', 'double-use'] as const).map((kind, i) => ({ id: `forced-${kind}`, group: 'fault' as const, what: '', perStore: { [store]: { outcome: f.races[i]!, detail: '' } }, command: '' })),
    ...rowsOf(store, 'fault', 'crash', f.crash),
    ...rowsOf(store, 'security', 'security', f.security),
    ...rowsOf(store, 'hostile-input', 'hostile', [86, 0, 0]),
    ...rowsOf(store, 'provider-fault', 'provider', [8, 0, 0]),
    { id: 'provider-fault/state-survives-retry', group: 'provider-fault' as const, what: '', perStore: { [store]: { outcome: 'recorded' as const, detail: '' } }, command: '' },
  ]);
  const stores = Object.keys(figures);
  const concurrency = { stores: Object.entries(figures).map(([store, f]) => ({ store, levels: [{ concurrency: 64, flows: 96, passed: f.concurrency, overlap: OVERLAPPED }] })) } as unknown as ConcurrencyResult;
  const races = reliability.filter((row) => row.id.startsWith('forced-'));
  const ttl = { ttlMs: 15 * MIN, stores: Object.entries(figures).map(([store, f]) => ttlOf(store, f.ttl)) } as unknown as TtlResult;
  const latency = { stores: Object.entries(figures).map(([store, f]) => ({ store, points: [{ liveSessions: 1000, ops: { get: { p50Us: f.getUs }, take: { p50Us: f.takeUs } } }] })) } as unknown as StoreLatencyResult;
  const measurements: MeasurementRecord[] = [
    { id: 'c8-success-rate', durationMs: 1, quick: true, columns: [{ name: 'concurrency', what: '', cells: Object.fromEntries(stores.map((store) => [store, concurrencyCell(concurrency, races, store)])) }] },
    { id: 'c6-ttl', durationMs: 1, quick: true, columns: [{ name: 'TTL', what: '', cells: ttlColumn(ttl, stores) }] },
    publishedRecord('store-bench', { 'store-latency': latency }),
    ...rowColumnRecords(reliability, stores),
  ];
  return { target: defaultTarget.name, cells, reliability, measurements } as unknown as ResultsDocument;
}

const pick = (grading: ReturnType<typeof gradeStores>, scope: string) => grading.recommendations.find((r) => r.scope === scope)!;

describe('the last run, re-judged', () => {
  const grading = gradeStores(document(LAST_RUN), defaultTarget.stores, 'sqlite');
  const store = (name: string) => grading.stores.find((s) => s.store === name)!;

  test('atomic-file passes every crash case now; sqlite still fails four (a broken file it names nowhere and cannot get past, an emptied file it says nothing about, a read-only folder)', () => {
    expect(store('atomic-file').columns.crash).toMatchObject({ grade: 'pass', count: { passed: 9, judged: 9 } });
    expect(store('sqlite').columns.crash).toMatchObject({ grade: 'fail', count: { passed: 5, judged: 9 } });
    expect(store('redis').columns.crash?.grade).toBe('n/a');
  });

  test('one host: atomic-file, then sqlite, sealed-state, json-file', () => {
    expect(pick(grading, 'one host').store).toBe('atomic-file');
    expect(pick(grading, 'one host').why).toContain('ranked: atomic-file 7.5/8 (114/114 cases), sqlite 6.5/8 (110/114 cases), sealed-state 4.5/7 (99/101 cases), json-file 4.5/8 (104/116 cases)');
  });

  test("default of the target: atomic-file, which disagreed with src/'s old default sqlite: why the default moved to atomic-file", () => {
    expect(pick(grading, 'default of the target')).toMatchObject({ store: 'atomic-file', why: expect.stringContaining('the target defaults to sqlite, which DISAGREES') });
  });

  test('several hosts: redis passes every column that applies, TTL included, when its own clock is the one that moves', () => {
    expect(store('redis').columns.TTL).toMatchObject({ grade: 'pass', count: { passed: 9, judged: 9 } });
    expect(pick(grading, 'several hosts').why).toContain('ranked: redis 8/8 (102/102 cases), sealed-state 5.5/8 (99/101 cases)');
  });

  test("redis with the server's clock left still while the Node processes' clocks move: the TTL column fails (15:01 accepted), it does not pass by default", () => {
    const still = gradeStores(document({ ...LAST_RUN, redis: { ...LAST_RUN.redis!, ttl: 'own clock, not moved by the run' } }), defaultTarget.stores, 'sqlite');
    expect(still.stores.find((s) => s.store === 'redis')!.columns.TTL?.grade).toBe('fail');
    expect(pick(still, 'several hosts').store).toBe('redis');
  });
});
