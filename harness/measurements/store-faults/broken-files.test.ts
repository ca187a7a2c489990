/**
 * A broken session file must not take the process down, and the process
 * must say what is wrong. The write-up's json-file store keeps running in
 * every case; it also says what is wrong, and then (its flaw, kept on
 * purpose) rewrites a truncated file from empty, erasing the sessions that
 * were still readable in it.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { BROKEN_SESSION_FILE_CASES } from '../../../fixtures/corrupt-session-files/broken-session-files.ts';
import { brokenCaseFolder, measureBrokenFiles, type BrokenFileResult } from './broken-files.ts';
import { judgeBrokenFile } from './fault-rows.ts';
import { createFaultContext, type FaultContext, type Measured } from './fault-context.ts';
import { ProcessSlots } from './run-driver.ts';
import { profileStore, type StoreProfile } from './store-disk-profile.ts';

const runDir = mkdtempSync(path.join(os.tmpdir(), 'faults-broken-gate-'));
// Traversable by the other user the read-only-folder case runs as.
chmodSync(runDir, 0o755);
const results: Record<string, Record<string, Measured<BrokenFileResult>>> = {};
const contexts: Record<string, FaultContext> = {};
const profiles: Record<string, StoreProfile> = {};
/** The atomic-file cases the tests below read; json-file runs every case. */
const ATOMIC_FILE_CASES = ['truncated-json', 'binary-garbage', 'empty-file'];

beforeAll(async () => {
  // One set of slots for both stores, as in `npm run repro`: four drivers and the 50 MB file's writing at once would only fight over the cores.
  const slots = new ProcessSlots(2);
  const cases = { 'json-file': BROKEN_SESSION_FILE_CASES, 'atomic-file': BROKEN_SESSION_FILE_CASES.filter((broken) => ATOMIC_FILE_CASES.includes(broken.id)) };
  await Promise.all(
    Object.entries(cases).map(async ([store, storeCases]) => {
      const ctx = createFaultContext({ store, runDir, quick: true, slots });
      contexts[store] = ctx;
      const profile = await profileStore(ctx);
      profiles[store] = profile;
      results[store] = await measureBrokenFiles(ctx, profile, storeCases);
    }),
  );
}, 90_000);

afterAll(async () => {
  await stopAllChildren({ graceMs: 100 });
  rmSync(runDir, { recursive: true, force: true });
});

const measured = (id: string, store = 'json-file'): BrokenFileResult => {
  const result = results[store]![id];
  if (result?.status !== 'measured') throw new Error(`${id} was not measured: ${JSON.stringify(result)}`);
  return result;
};

test('json-file ran every case, atomic-file the ones read below', () => {
  expect(Object.keys(results['json-file']!)).toEqual(BROKEN_SESSION_FILE_CASES.map((broken) => broken.id));
  expect(Object.keys(results['atomic-file']!)).toEqual(ATOMIC_FILE_CASES);
});

describe('json-file: a broken session file', () => {
  test.each(BROKEN_SESSION_FILE_CASES.map((broken) => broken.id))('%s: the process keeps running', (id) => {
    const result = measured(id);
    expect(result.alive, result.exit).toBe(true);
  });

  test.each(['truncated-json', 'binary-garbage', 'empty-file', 'directory-in-place', 'missing-folder'])('%s: the process says what is wrong, naming the file', (id) => {
    const result = measured(id);
    expect(result.saidWhatIsWrong, result.messages.join('\n')).toBe(true);
  });

  test('truncated JSON: every session is reported lost, including those still on disk, which the rewrite erased', () => {
    const result = measured('truncated-json');
    expect(result.messages.some((message) => /Could not parse sessions file <case>\/store\/sessions\.json/.test(message))).toBe(true);
    expect(result.lost).toBe(result.sessionsBefore);
    expect(result.stillOnDisk).toBeGreaterThan(0);
    expect(result.erasedByStore).toBe(result.stillOnDisk);
    expect(result.newSessionReadable).toBe(true);
  });

  test('a directory in place and a missing folder: the put fails with the errno, and nothing is stored', () => {
    expect(measured('directory-in-place').newPut).toBe('failed: EISDIR');
    expect(measured('missing-folder').newPut).toBe('failed: ENOENT');
  });

  test('truncated JSON and binary garbage: the rewrite overwrote the damaged file, so the case fails (the flaw is kept on purpose)', () => {
    for (const id of ['truncated-json', 'binary-garbage']) {
      const result = measured(id);
      expect(result.damagedFile?.bytes, id).toBeGreaterThan(0);
      expect(result.damagedFile?.keptAs, id).toBeUndefined();
      expect(judgeBrokenFile(result)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('did not keep the damaged file for a person') });
    }
  });

  test('a missing folder: the path was writable (its parent is), and the write-up\'s store does not create the folder: no new flow', () => {
    const result = measured('missing-folder');
    expect(result.newFlowsPossible).toBe(true);
    expect(judgeBrokenFile(result)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('served no new flow') });
  });

  test('50 MB: nothing is lost, the new flow is stored', () => {
    const result = measured('fifty-megabytes');
    expect(result.lost).toBe(0);
    expect(result.newSessionReadable).toBe(true);
  });

  // Regression: every run kept the 52 MB file in its run folder.
  test('50 MB: once judged, its fixture is gone from the run folder; the small cases\' folders stay to be read', () => {
    const ctx = contexts['json-file']!;
    expect(ctx.keep).toBeUndefined();
    expect(existsSync(brokenCaseFolder(ctx, 'fifty-megabytes'))).toBe(false);
    expect(existsSync(brokenCaseFolder(ctx, 'truncated-json'))).toBe(true);
  });

  test('50 MB with --keep: the fixture stays for reading', { timeout: 90_000 }, async () => {
    const ctx = { ...contexts['json-file']!, keep: true };
    const fifty = BROKEN_SESSION_FILE_CASES.filter((broken) => broken.id === 'fifty-megabytes');
    const again = await measureBrokenFiles(ctx, profiles['json-file']!, fifty);
    expect(again['fifty-megabytes']?.status).toBe('measured');
    expect(existsSync(path.join(brokenCaseFolder(ctx, 'fifty-megabytes'), 'sessions.json'))).toBe(true);
  });
});

// Regression: no store could pass a broken-file case, because the sessions the fault destroyed counted against it.
describe('atomic-file: a broken session file is moved aside, named, and new flows go on', () => {
  test.each(['truncated-json', 'binary-garbage', 'empty-file'])('%s: passes what a store can do about it', (id) => {
    const result = measured(id, 'atomic-file');
    const judged = judgeBrokenFile(result);
    expect(judged.outcome, judged.detail).toBe('pass');
    expect(result.newSessionReadable).toBe(true);
    expect(result.messages.some((message) => message.includes('<case>/store/sessions.json'))).toBe(true);
  });

  test.each(['truncated-json', 'binary-garbage'])('%s: the damaged bytes are kept in <file>.corrupt-<time>', (id) => {
    expect(measured(id, 'atomic-file').damagedFile?.keptAs).toMatch(/^sessions\.json\.corrupt-\d+$/);
  });
});
