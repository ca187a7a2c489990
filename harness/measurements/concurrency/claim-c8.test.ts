/** claimC8 on fixed inputs: one line per verdict it can reach. */
import { describe, expect, test } from 'vitest';
import type { RaceOutcome, RaceResult, RaceStatus } from '../races/race-outcome.ts';
import { claimC8 } from './claim-c8.ts';
import type { ConcurrencyLevelResult, ConcurrencyResult } from './concurrency-result.ts';

function level(concurrency: number, flows: number, passed: number, nominalReached = true): ConcurrencyLevelResult {
  return {
    concurrency,
    flows,
    passed,
    stateLookups: { ok: passed, failed: flows - passed },
    tokenExchanges: { ok: passed, failed: 0 },
    tokenHandoffs: { ok: passed, failed: 0, superseded: 0, notObservable: 0 },
    stateLookupRate: passed / flows,
    tokenHandoffRate: 1,
    flowRate: passed / flows,
    errors: [],
    durationMs: 1,
    historyFile: 'history/x.jsonl',
    overlap: { windows: flows, maxInFlight: concurrency, medianInFlight: concurrency, callbacks: flows, callbacksDuringOtherStarts: nominalReached ? flows - concurrency : 0, nominalReached },
  };
}

const concurrency = (...levels: ConcurrencyLevelResult[]): ConcurrencyResult => ({
  quick: false,
  stores: [{ store: 'json-file', topology: 'split-process', processes: [], levels, durationMs: 1 }],
});

const races = (lostUpdate: RaceStatus, doubleUse: RaceStatus): RaceResult => ({
  quick: false,
  outcomes: ([['lost-update', lostUpdate], ['double-use', doubleUse]] as const).map(
    ([kind, status]): RaceOutcome => ({ kind, store: 'json-file', status, detail: `${kind} ${status}`, held: [], callbacks: [], processes: [], durationMs: 1 }),
  ),
});

const allPass = concurrency(level(1, 10, 10), level(4, 10, 10), level(16, 10, 10), level(64, 2000, 2000));

describe('claimC8', () => {
  test('holds when every level passes and neither race can be produced', () => {
    expect(claimC8(allPass, races('prevented', 'no-unguarded-write'))).toMatchObject({ id: 'C8', verdict: 'holds', command: 'npm run bench' });
  });

  test('holds only under stated conditions when overlapping flows fail and both races are reproduced', () => {
    const row = claimC8(concurrency(level(1, 10, 10), level(4, 10, 9), level(64, 2000, 600)), races('reproduced', 'reproduced'));
    expect(row.verdict).toBe('holds only under stated conditions');
    expect(row.conditions).toContain('flows never overlap (at 4 at once 9/10 passed, 64 at once 600/2000 passed)');
    expect(row.conditions).toContain('no two processes rewrite the session file at once');
    expect(row.conditions).toContain('each callback URL arrives once');
    expect(row.figure).toContain('whole flows 100% / 90% / 30% at 1 / 4 / 64 at once');
  });

  test('a reproduced race alone makes it conditional, even when every level passed', () => {
    const row = claimC8(allPass, races('reproduced', 'prevented'));
    expect(row.verdict).toBe('holds only under stated conditions');
    expect(row.conditions).not.toContain('never overlap');
  });

  test('does not hold when flows fail even one at a time', () => {
    expect(claimC8(concurrency(level(1, 10, 0), level(64, 100, 0)), races('not-applicable', 'not-applicable')).verdict).toBe('does not hold');
  });

  test('unknown when every level passed but the races could not be judged', () => {
    const row = claimC8(allPass, races('harness-error', 'prevented'));
    expect(row.verdict).toBe('unknown');
    expect(row.conditions).toContain('lost-update harness-error');
  });

  // Regression: "100% at 64 at once" from 64 starts that all finished before the first callback.
  test('unknown when a level passed without reaching its overlap, and the figure says which', () => {
    const row = claimC8(concurrency(level(1, 10, 10), level(4, 10, 10), level(64, 64, 64, false)), races('prevented', 'prevented'));
    expect(row.verdict).toBe('unknown');
    expect(row.conditions).toContain("64 at once: 64 windows in flight at most, 0 of 64 callbacks during another flow's start_oauth");
    expect(row.figure).toContain('64 at once did not reach its nominal overlap');
    expect(row.figure).toContain("overlap (state windows in flight, max/median over the level's time; callbacks during another flow's start_oauth): 1/1, 9/10; 4/4, 6/10; 64/64, 0/64");
  });

  test('results without overlap figures (written before it was measured) cannot carry a holds', () => {
    const { overlap: _dropped, ...old } = level(64, 64, 64);
    expect(claimC8(concurrency(level(1, 10, 10), old), races('prevented', 'prevented')).verdict).toBe('unknown');
  });

  test('a level short of its overlap does not hide a failure: conditions found still make it conditional', () => {
    const row = claimC8(concurrency(level(1, 10, 10), level(64, 64, 60, false)), races('reproduced', 'prevented'));
    expect(row.verdict).toBe('holds only under stated conditions');
  });

  test('a race held at no session write is not forced: unknown, never holds', () => {
    const row = claimC8(allPass, races('not-forced', 'prevented'));
    expect(row.verdict).toBe('unknown');
    expect(row.figure).toContain('forced lost update: not forced (held at no session write)');
  });

  test('unknown when the judged store was not measured', () => {
    expect(claimC8(allPass, races('reproduced', 'reproduced'), 'sqlite')).toMatchObject({ verdict: 'unknown', samples: '0' });
  });
});
