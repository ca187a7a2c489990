/**
 * The forced lost update from a checkout under /tmp. There the project's
 * run folder (and the log the provider-interception preload appends to),
 * node_modules and the compile cache all sit under the /tmp the write gate
 * watches, bound into each simulated host. The gate must still hold the
 * callback process only at the store's own file, so every store that
 * rewrites one shared session file without a lock loses flow 2's state, as
 * it does from a checkout anywhere else.
 *
 * The project's files (the working tree, as the other tests see it) are
 * copied to a fresh folder under /tmp, node_modules linked, and the races
 * run there in their own harness process.
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../harness/core/run-folder.ts';
import type { RaceOutcome } from '../../harness/measurements/races/race-outcome.ts';

/** Target file (relative to the project) and the store of it that rewrites one shared session file. */
const RACES = [
  { target: 'src/repro.target.ts', store: 'json-file', sessionFile: '/tmp/jira-oauth-sessions.json' },
  { target: 'fixtures/targets/https-client/target.ts', store: 'json-file-tmpdir', sessionFile: '/tmp/https-client-oauth-sessions.json' },
  { target: 'fixtures/targets/literal-tmp/target.ts', store: 'json-file-literal-tmp', sessionFile: '/tmp/literal-tmp-oauth-sessions.json' },
  { target: 'fixtures/targets/factory-fetch/target.ts', store: 'json-file', sessionFile: '/tmp/jira-oauth-sessions.json' },
];
const SCRIPT = 'harness/measurements/races/test-fixtures/lost-update-from-checkout.ts';

let copy: string;
let outcomes: (RaceOutcome & { target: string; runDir: string })[];

async function copyProject(): Promise<string> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'race-under-tmp-'));
  const { stdout } = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const from = path.join(PROJECT_ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    cpSync(from, path.join(folder, file));
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(folder, 'node_modules'));
  return folder;
}

/**
 * The races in two harness processes side by side, each every other race: one
 * after the other they mostly waited (three of these servers' callbacks
 * outlast their stdin, so each race's stop waits out a grace period), and a
 * second process costs one more start of the harness and the mock.
 */
const PROCESSES = 2;

async function runRaces(races: typeof RACES): Promise<(RaceOutcome & { target: string; runDir: string })[]> {
  const args = ['--import', 'tsx', SCRIPT, ...races.map((r) => `${r.target}=${r.store}`)];
  const { stdout } = await execa(process.execPath, args, { cwd: copy, timeout: 150_000, env: { OAUTH_REPRO_RUNS_DIR: '' } });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RaceOutcome & { target: string; runDir: string });
}

beforeAll(async () => {
  copy = await copyProject();
  const shares = Array.from({ length: PROCESSES }, (_, p) => RACES.filter((_, i) => i % PROCESSES === p));
  const results = await Promise.all(shares.map((share) => runRaces(share)));
  // Back in RACES' order: the tests below read outcome i as race i (a missing line fails that race's test and the first one).
  outcomes = RACES.map((_, i) => results[i % PROCESSES]![Math.floor(i / PROCESSES)]!);
}, 180_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('the copy is under /tmp, and so is its run folder, where the interception preload writes its log', () => {
  expect(copy.startsWith('/tmp/')).toBe(true);
  expect(outcomes.map((o) => o.target)).toEqual(RACES.map((r) => r.target));
  for (const outcome of outcomes) expect(outcome.runDir.startsWith(`${copy}/runs/`), outcome.runDir).toBe(true);
});

for (const [i, race] of RACES.entries()) {
  test(`${race.target} × ${race.store}: the lost update is reproduced, held at the session file in the callback process`, () => {
    const outcome = outcomes[i]!;
    // Nothing of the harness's was held on the way (the copy's run folder and logs, node_modules, tsx's cache);
    // a file of the target's own that is not its session file (a token file) may be, and is let go.
    const harnessHeld = (outcome.passedThrough ?? []).map((w) => w.path ?? '').filter((p) => p.startsWith(`${copy}/`) || p.startsWith('/tmp/tsx-'));
    expect(harnessHeld).toEqual([]);
    expect(outcome.status, outcome.detail).toBe('reproduced');
    expect(outcome.held).toEqual([expect.objectContaining({ role: 'callback', path: race.sessionFile })]);
    expect(outcome.sessionFiles).toContain(race.sessionFile);
    expect(outcome.detail).toContain(`held callback#${outcome.held[0]!.pid} at`);
    expect(outcome.callbacks.map((c) => c.result.outcome)).toEqual(['success', 'invalid-state']);
  });
}
