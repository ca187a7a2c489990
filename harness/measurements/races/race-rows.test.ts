/**
 * Regression: "race not reproducible: no unguarded write"
 * was graded pass for sqlite, redis and sealed-state, although the write
 * gate never saw, so never held, a write of theirs. Rows from fixed race
 * outcomes, one line per case.
 */
import { describe, expect, test } from 'vitest';
import type { RaceOutcome } from './race-outcome.ts';
import { raceCell, raceRows } from './race-rows.ts';
import { judgeStoreLevelDoubleUse, judgeStoreLevelLostUpdate, type StoreLevelRace } from './store-level-race.ts';

const outcome = (store: string, status: RaceOutcome['status'], storeLevel?: StoreLevelRace): RaceOutcome => ({
  kind: 'double-use',
  store,
  status,
  detail: status === 'no-unguarded-write' ? "race not reproducible: no unguarded write; one lookup succeeded, the other was refused" : `${status} happened`,
  held: [],
  callbacks: [],
  processes: [],
  durationMs: 1,
  ...(storeLevel ? { storeLevel } : {}),
});

const level = (status: StoreLevelRace['status']): StoreLevelRace => ({ kind: 'double-use', store: 'sqlite', status, forcedBy: 'a third connection held the write lock', held: status === 'not-forced' ? 1 : 2, detail: `${status} detail`, durationMs: 5 });

describe('raceCell', () => {
  test.each([
    ['reproduced through the processes → fail', outcome('json-file', 'reproduced'), 'fail'],
    ['prevented through the processes → pass', outcome('atomic-file', 'prevented'), 'pass'],
    ['nothing shared across processes → n/a', outcome('memory', 'not-applicable'), 'n/a'],
    ['harness error → harness-error (the run\'s trouble, never the store\'s)', outcome('json-file', 'harness-error'), 'harness-error'],
    ['held only at writes that are not session writes → unknown, never pass', outcome('json-file', 'not-forced'), 'unknown'],
    ['no write the gate could hold and no store-level probe → n/a, never pass', outcome('their-store', 'no-unguarded-write'), 'n/a'],
    ['no gated write, store-level race prevented → pass', outcome('sqlite', 'no-unguarded-write', level('prevented')), 'pass'],
    ['no gated write, store-level race reproduced → fail', outcome('sqlite', 'no-unguarded-write', level('reproduced')), 'fail'],
    ['no gated write, store-level race not forced → unknown', outcome('sqlite', 'no-unguarded-write', level('not-forced')), 'unknown'],
    ['no gated write, the race cannot apply to the store → n/a', outcome('sealed-state', 'no-unguarded-write', level('not-applicable')), 'n/a'],
  ] as const)('%s', (_name, race, expected) => {
    expect(raceCell(race).outcome).toBe(expected);
  });

  test('the store-level verdict says how it was forced, and what the flow-level race saw', () => {
    const { detail } = raceCell(outcome('sqlite', 'no-unguarded-write', level('prevented')));
    expect(detail).toMatch(/^race prevented at the store's own level: prevented detail \(a third connection held the write lock\); through the processes: no write the gate could hold/);
  });

  test('rows: one per race kind, stores in each', () => {
    const rows = raceRows({ outcomes: [outcome('sqlite', 'no-unguarded-write'), { ...outcome('sqlite', 'no-unguarded-write', level('prevented')), kind: 'lost-update' }] });
    expect(rows.map((r) => [r.id, r.perStore.sqlite?.outcome])).toEqual([
      ['forced-lost-update', 'pass'],
      ['forced-double-use', 'n/a'],
    ]);
  });
});

describe('store-level judges', () => {
  test.each([
    ['both takes got it → reproduced', [true, true], 2, 'reproduced'],
    ['both takes got it, one held → reproduced all the same', [true, true], 1, 'reproduced'],
    ['one got it, both held → prevented', [true, false], 2, 'prevented'],
    ['one got it, one held → not forced (no verdict)', [false, true], 1, 'not-forced'],
    ['neither got it → harness error', [false, false], 2, 'harness-error'],
    ['a take failed → harness error', [true, undefined], 2, 'harness-error'],
  ] as const)('double use: %s', (_name, found, held, status) => {
    expect(judgeStoreLevelDoubleUse({ found: [...found] as [boolean | undefined, boolean | undefined], errors: [], held }).status).toBe(status);
  });

  const fine = { takeFound: true, putAcknowledged: true, putStateAfter: true, takenStateAfter: false, errors: [], held: 2 };
  test.each([
    ['both writes kept, both held → prevented', fine, 'prevented'],
    ['the acknowledged put is gone → reproduced', { ...fine, putStateAfter: false }, 'reproduced'],
    ['the taken state is back → reproduced', { ...fine, takenStateAfter: true }, 'reproduced'],
    ['both kept, one held → not forced', { ...fine, held: 1 }, 'not-forced'],
    ['the put failed → harness error', { ...fine, putAcknowledged: false }, 'harness-error'],
    ['the take found nothing → harness error', { ...fine, takeFound: false }, 'harness-error'],
  ] as const)('lost update: %s', (_name, seen, status) => {
    expect(judgeStoreLevelLostUpdate(seen).status).toBe(status);
  });
});
