import { describe, expect, test } from 'vitest';
import type { CaseOutcome, ReliabilityRow } from '../measurements/measure-context.ts';
import type { CellResult, ResultsDocument } from '../results/results-document.ts';
import { gradeStores, rankStores, rowsGrade, score } from './grade-stores.ts';
import { SRC_TARGET_NAME } from './store-dependencies.ts';
import { publishedRecord, rowColumnRecords } from './test-fixtures/graded-records.ts';

const TOPOLOGY: Record<string, string> = { 'single-process': 'single-process', 'split-process': 'split-process', isolated: 'isolated', 'callback-restart': 'split-process' };
const cell = (scenario: string, store: string, ok: boolean, p50 = 50): CellResult =>
  ({ scenario, topology: TOPOLOGY[scenario], store, flows: 5, tokenHandoffs: { ok: ok ? 5 : 0, failed: 0, superseded: 0, notObservable: 0 }, errors: ok ? [] : [{ stage: 'state-lookup', message: 'x', count: 5 }], latencyMs: { p50, samples: 5 }, expected: { outcome: 'pass' } }) as unknown as CellResult;

const row = (id: string, group: ReliabilityRow['group'], perStore: Record<string, CaseOutcome>): ReliabilityRow => ({
  id,
  group,
  what: id,
  perStore: Object.fromEntries(Object.entries(perStore).map(([store, outcome]) => [store, { outcome, detail: `${outcome} detail` }])),
  command: 'npm run repro',
});

function documentWith(stores: Record<string, { isolated: boolean; takeUs: number }>, reliability: ReliabilityRow[] = []): ResultsDocument {
  const cells = Object.entries(stores).flatMap(([store, s]) => [
    cell('single-process', store, true),
    cell('split-process', store, store !== 'memory'),
    cell('isolated', store, s.isolated),
    cell('callback-restart', store, store !== 'memory'),
  ]);
  const latency = {
    stores: Object.entries(stores).map(([store, s]) => ({ store, points: [{ liveSessions: 1000, ops: { get: { p50Us: s.takeUs }, take: { p50Us: s.takeUs }, put: { p50Us: s.takeUs } } }] })),
  };
  const measurements = [publishedRecord('store-bench', { 'store-latency': latency as never }), ...rowColumnRecords(reliability, Object.keys(stores))];
  return { target: SRC_TARGET_NAME, cells, reliability, measurements } as unknown as ResultsDocument;
}

const needs = { redis: { reach: 'hosts', needsRedis: true, needs: ['a redis server (REDIS_URL)'] }, 'sealed-state': { reach: 'hosts', needs: ['a key shared by every process (SESSION_SEAL_KEY)'] } } as const;

describe('which fix to ship', () => {
  const document = documentWith({
    memory: { isolated: false, takeUs: 0.3 },
    'atomic-file': { isolated: false, takeUs: 5000 },
    sqlite: { isolated: false, takeUs: 10 },
    redis: { isolated: true, takeUs: 90 },
    'sealed-state': { isolated: true, takeUs: 6 },
  });

  test('equal grades and equal case counts are separated by the take p50, not by a noisy flow p50', () => {
    const { recommendations } = gradeStores(document, needs, 'sqlite');
    expect(recommendations.find((r) => r.scope === 'one host')?.store).toBe('sealed-state');
    expect(recommendations.find((r) => r.scope === 'default of the target')).toMatchObject({ store: 'sqlite' });
    expect(recommendations.find((r) => r.scope === 'default of the target')?.why).toContain('the target defaults to sqlite, which agrees');
  });

  test('several hosts considers only stores that passed isolated; memory is never recommended', () => {
    const { recommendations, stores } = gradeStores(document, needs, 'json-file');
    expect(recommendations.find((r) => r.scope === 'several hosts')?.store).toBe('sealed-state');
    expect(recommendations.map((r) => r.store)).not.toContain('memory');
    expect(stores.find((s) => s.store === 'memory')?.columns['split-process']?.grade).toBe('fail');
    expect(recommendations.find((r) => r.scope === 'default of the target')?.why).toContain('which DISAGREES');
  });

  test("each store states its dependency cost, and the recommendation repeats it", () => {
    const { stores, recommendations } = gradeStores(document, needs, 'sqlite');
    expect(stores.find((s) => s.store === 'sqlite')?.dependencyCost).toMatch(/better-sqlite3: a native addon.*compiles SQLite from source/);
    expect(stores.find((s) => s.store === 'atomic-file')?.dependencyCost).toMatch(/pure JavaScript/);
    expect(recommendations.find((r) => r.scope === 'default of the target')?.why).toContain('dependency cost: better-sqlite3');
  });
});

// Regression: sqlite and atomic-file tied on columns and the tie broke on a
// micro-latency, although atomic-file passed more cases; the table showed no counts.
describe('counts before latency', () => {
  const twoFileStores = { 'atomic-file': { isolated: false, takeUs: 5000 }, sqlite: { isolated: false, takeUs: 10 } };
  // A crash case sqlite fails; both pass the other, and neither can fail the n/a one.
  const reliability = [
    row('broken-file-read-only-folder', 'fault', { 'atomic-file': 'pass', sqlite: 'fail' }),
    row('broken-file-empty-file', 'fault', { 'atomic-file': 'pass', sqlite: 'pass' }),
    row('broken-file-fifty-megabytes', 'fault', { 'atomic-file': 'n/a', sqlite: 'n/a' }),
    row('write-error-eio', 'fault', { 'atomic-file': 'pass', sqlite: 'pass' }),
    // Both fail one hostile case, so the crash column alone does not decide the column score.
    row('hostile/x', 'hostile-input', { 'atomic-file': 'fail', sqlite: 'fail' }),
  ];

  test('the crash column shows what it counted, n/a left out', () => {
    const { stores } = gradeStores(documentWith(twoFileStores, reliability), needs);
    const crash = (store: string) => stores.find((s) => s.store === store)!.columns.crash;
    expect(crash('atomic-file')).toMatchObject({ grade: 'pass', count: { passed: 3, judged: 3, unit: 'cases' }, detail: '3/3 cases (1 n/a not counted)' });
    expect(crash('sqlite')).toMatchObject({ grade: 'fail', count: { passed: 2, judged: 3 } });
  });

  test('with equal columns and equal failures, more cases passed ranks first, even with a take 500× slower', () => {
    const even = [
      row('broken-file-truncated-json', 'fault', { 'atomic-file': 'fail', sqlite: 'fail' }),
      row('write-error-eio', 'fault', { 'atomic-file': 'pass', sqlite: 'pass' }),
      // The case sqlite is n/a for: no evidence either way, but one more pass for atomic-file.
      row('crash-inside-one-write', 'fault', { 'atomic-file': 'pass', sqlite: 'n/a' }),
    ];
    const { stores } = gradeStores(documentWith(twoFileStores, even), needs);
    expect(stores.find((s) => s.store === 'atomic-file')!.cases).toMatchObject({ passed: 2, failed: 1, judged: 3 });
    expect(stores.find((s) => s.store === 'sqlite')!.cases).toMatchObject({ passed: 1, failed: 1, judged: 2, notApplicable: 1 });
    expect(rankStores(stores, ['crash']).map((s) => s.store)).toEqual(['atomic-file', 'sqlite']);
  });

  test('fewer cases failed ranks first, before cases passed and before latency', () => {
    const { stores } = gradeStores(documentWith(twoFileStores, reliability), needs);
    expect(rankStores(stores, ['hostile input']).map((s) => s.store)).toEqual(['atomic-file', 'sqlite']);
  });
});

// Regression: "recorded" and "n/a" cases counted as passes in the grading columns.
describe('cases that cannot apply, and facts only recorded', () => {
  test('a column of recorded and n/a cases only is n/a, not a pass; one of unknown cases is not measured', () => {
    const rows = [row('provider-fault/state-survives-retry', 'provider-fault', { redis: 'recorded' }), row('security/session-file-mode', 'security', { redis: 'n/a' })];
    expect(rowsGrade(rows, 'redis')).toMatchObject({ grade: 'n/a', detail: 'no case applies (1 n/a, 1 recorded not counted)' });
    expect(rowsGrade([row('crash-mid-write', 'fault', { redis: 'unknown' })], 'redis').grade).toBe('not measured');
  });

  test('an n/a column is left out of the score: neither a pass nor a penalty', () => {
    const document = documentWith({ redis: { isolated: true, takeUs: 90 } }, [row('crash-mid-write', 'fault', { redis: 'n/a' }), row('hostile/x', 'hostile-input', { redis: 'pass' })]);
    const [redis] = gradeStores(document, needs).stores;
    expect(redis!.columns.crash?.grade).toBe('n/a');
    expect(score(redis!, ['crash', 'hostile input'])).toEqual({ points: 1, of: 1 });
  });
});
