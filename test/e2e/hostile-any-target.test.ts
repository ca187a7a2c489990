/**
 * The hostile battery on a server we did not write and that has no store
 * module: fixtures/targets/unescaped-echo (https-client's server, its
 * callback at /callback, whose error page echoes `error` and
 * `error_description` raw). Every case is aimed at its own callback path and
 * judged on what any server shows; the cases carrying markup in
 * error_description run and fail for the unescaped echo.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder } from '../../harness/core/run-folder.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { loadTarget } from '../../harness/deploy/target/load-target.ts';
import { hostileRows } from '../../harness/measurements/hostile-input/hostile-rows.ts';
import { measureHostileInput, type HostileInputResult } from '../../harness/measurements/hostile-input/measure-hostile-input.ts';
import type { ReliabilityRow } from '../../harness/measurements/measure-context.ts';

const TARGET = fileURLToPath(new URL('../../fixtures/targets/unescaped-echo/target.ts', import.meta.url));
const STORE = 'json-file-tmpdir';
let mock: MockAtlassian;
let result: HostileInputResult;
let rows: ReliabilityRow[];

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-hostile-unescaped-echo');
  mock = await MockAtlassian.start(run.logDir);
  const target = await loadTarget(TARGET);
  expect(target.storeModule).toBeUndefined();
  result = await measureHostileInput({ run, mock, target, stores: [STORE], quick: true });
  rows = hostileRows(result);
}, 120_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const cell = (id: string) => rows.find((row) => row.id === `hostile/${id}`)!.perStore[STORE]!;

describe('hostile input × unescaped-echo (no store module)', () => {
  test('the battery ran against its own callback path, every case answered', () => {
    expect(result.errors).toEqual([]);
    const battery = result.batteries.find((b) => b.topology === 'split-process')!;
    expect(battery.control).toMatchObject({ outcome: 'success' });
    expect(battery.cases.every((c) => c.status !== null)).toBe(true);
    const echoed = battery.cases.find((c) => c.caseId === '400-provider-error/error-description-img-onerror')!;
    expect(echoed.target).toContain('/callback?');
    expect(echoed.target).not.toContain('/oauth/callback');
  });

  test.each(['400-provider-error/error-description-img-onerror', '400-provider-error/error-script'])('%s runs and fails for the unescaped echo', (id) => {
    expect(cell(id)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('echoed unescaped') });
  });

  test('cases that carry no markup are judged too, not n/a: a forged state is refused', () => {
    expect(cell('400-invalid-state/forged-state')).toMatchObject({ outcome: 'pass' });
    expect(rows.every((row) => row.perStore[STORE]!.outcome !== 'n/a')).toBe(true);
  });

  test("another user's genuine code is refused and never redeemed at the provider", () => {
    const foreign = result.batteries[0]!.cases.find((c) => c.caseId.endsWith('/state-from-another-users-flow'))!;
    expect(foreign.provider).toMatchObject({ readable: true, statesKnown: 1, newRedemptions: 0 });
    expect(foreign.page?.outcome).not.toBe('success');
  });
});
