/**
 * The forced races of C8 through real processes, deterministic: a write
 * gate preloaded into the tool and callback processes holds a write until
 * the harness lets it go. json-file must lose flow 2's state and must let
 * two callback processes accept one state; memory has nothing shared to
 * race, which must be said without waiting out a deadline; sqlite writes
 * nothing the gate can hold, so its races are forced at SQLite's level.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { measureRaces } from './measure-races.ts';
import type { RaceOutcome, RaceResult } from './race-outcome.ts';
import { raceRows } from './race-rows.ts';

const INVALID = 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.';
let run: RunFolder;
let mock: MockAtlassian;
let result: RaceResult;

const outcome = (store: string, kind: RaceOutcome['kind']) => result.outcomes.find((o) => o.store === store && o.kind === kind)!;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-c8-races');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureRaces({ run, mock, target: defaultTarget, stores: ['json-file', 'memory', 'sqlite'], quick: true });
}, 90_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

describe('json-file', () => {
  test("lost update: the callback's held rewrite drops flow 2's state, whose start_oauth had succeeded", () => {
    const race = outcome('json-file', 'lost-update');
    expect(race.status, race.detail).toBe('reproduced');
    expect(race.held).toEqual([expect.objectContaining({ role: 'callback', call: 'writeFileSync', path: expect.stringMatching(/jira-oauth-sessions\.json$/) })]);
    // The file it was held at is the one the tool process stored flow 1's state in, and the detail names both.
    expect(race.sessionFiles).toContain(race.held[0]!.path);
    expect(race.detail).toContain(`held callback#${race.held[0]!.pid} at writeFileSync ${race.held[0]!.path}`);
    expect(race.callbacks.map((c) => c.result.outcome)).toEqual(['success', 'invalid-state']);
    expect(race.callbacks[1]!.result.message).toBe(INVALID);
    expect(race.detail).toContain('while the callback process was held');
  });

  test('double use: two callback processes both accept one state; the provider then refuses the reused code', () => {
    const race = outcome('json-file', 'double-use');
    expect(race.status, race.detail).toBe('reproduced');
    expect(race.held).toHaveLength(2);
    expect(new Set(race.held.map((h) => h.pid)).size).toBe(2);
    expect(race.held.map((h) => [h.role, h.path])).toEqual(race.held.map(() => ['callback', race.sessionFiles![0]]));
    const outcomes = race.callbacks.map((c) => c.result.outcome).sort();
    expect(outcomes).toEqual(['error', 'success']);
    const refused = race.callbacks.find((c) => c.result.outcome === 'error')!;
    expect(refused.result.message).toContain('invalid_grant');
    expect(refused.result.message).not.toContain('Invalid or expired OAuth state parameter');
    // Seen from the provider too: each callback exchanged the code, so each had found the state.
    expect(race.detail).toContain('the provider saw 2 code exchanges');
  });
});

describe('memory (split-process)', () => {
  test('both races are recorded as not applicable: nothing is shared, nothing was held', () => {
    for (const kind of ['lost-update', 'double-use'] as const) {
      const race = outcome('memory', kind);
      expect(race.status, race.detail).toBe('not-applicable');
      expect(race.held).toEqual([]);
      expect(race.callbacks.every((c) => c.result.outcome === 'invalid-state')).toBe(true);
    }
  });
});

test('raceRows: json-file fails both fault rows, memory is n/a (nothing shared across processes)', () => {
  const rows = raceRows(result);
  expect(rows.map((r) => [r.id, r.group, r.perStore['json-file']?.outcome, r.perStore.memory?.outcome])).toEqual([
    ['forced-lost-update', 'fault', 'fail', 'n/a'],
    ['forced-double-use', 'fault', 'fail', 'n/a'],
  ]);
  expect(rows[0]!.perStore.memory!.detail).toMatch(/^not applicable across processes/);
});

// Regression: the write gate cannot see SQLite's writes, so sqlite "passed" races that were never forced.
test("sqlite: no gated write through the processes, so both races are forced at SQLite's own level, and prevented", () => {
  for (const kind of ['lost-update', 'double-use'] as const) {
    const race = outcome('sqlite', kind);
    expect(race.status, race.detail).toBe('no-unguarded-write');
    expect(race.storeLevel, kind).toMatchObject({ status: 'prevented', held: 2 });
  }
  const rows = raceRows(result);
  for (const row of rows) expect(row.perStore.sqlite!.detail).toMatch(/^race prevented at the store's own level/);
});
