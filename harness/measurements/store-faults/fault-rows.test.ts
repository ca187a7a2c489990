import { describe, expect, test } from 'vitest';
import type { BrokenFileResult } from './broken-files.ts';
import type { CrashResult } from './crash-mid-write.ts';
import { faultRows, judgeBrokenFile, judgeCrash } from './fault-rows.ts';
import type { StoreFaults, StoreFaultsResult } from './measure-store-faults.ts';

const crash: CrashResult = {
  script: '48 puts, a take after every 4th',
  writesInScript: 60,
  counting: '-P sessions.json',
  points: 12,
  landed: 12,
  committedTotal: 220,
  lostTotal: 220,
  lostMeanPerKill: 18.33,
  lostMaxPerKill: 36,
  killsWithLoss: 11,
  files: { intact: 0, empty: 12, torn: 0, missing: 0, unreadable: 0 },
  resurrectedTotal: 0,
  sampled: true,
  trials: [],
};

const healthy: BrokenFileResult = {
  id: 'fifty-megabytes',
  what: 'a valid 50 MB session file',
  alive: true,
  exit: 'exit 0',
  messages: [],
  saidWhatIsWrong: false,
  sessionsBefore: 2,
  stillOnDisk: 2,
  readableBefore: 2,
  newPut: 'ok',
  newSessionReadable: true,
  keptAfter: 2,
  lost: 0,
  erasedByStore: 0,
};

const na = { status: 'not-applicable' as const, reason: 'no local file: a put left no file on disk' };

function result(jsonFile: Partial<StoreFaults>): StoreFaultsResult {
  const memory: StoreFaults = { store: 'memory', profile: na, crash: na, insideWrite: na, writeErrors: na, brokenFiles: {}, symlink: na, precreated: na, modes: na, durationMs: 1 };
  return {
    quick: true,
    stores: ['memory', 'json-file'],
    strace: { usable: true, mode: 'attach', version: 'strace -- version 6.1', note: '' },
    otherUid: 65534,
    runDir: '/runs/x',
    durationMs: 1,
    perStore: { memory, 'json-file': { ...memory, store: 'json-file', ...jsonFile } },
  };
}

describe('fault rows', () => {
  test('one row per case, every store in every row, the repro command in quick mode', () => {
    const rows = faultRows(result({ crash: { status: 'measured', ...crash } }));
    expect(rows.map((row) => row.id)).toEqual([
      'crash-mid-write',
      'crash-inside-one-write',
      'write-error-enospc',
      'write-error-eio',
      'broken-file-truncated-json',
      'broken-file-binary-garbage',
      'broken-file-empty-file',
      'broken-file-fifty-megabytes',
      'broken-file-directory-in-place',
      'broken-file-read-only-folder',
      'broken-file-missing-folder',
      'tmp-symlink',
      'tmp-precreated-file',
      'session-file-mode',
    ]);
    for (const row of rows) {
      expect(Object.keys(row.perStore)).toEqual(['memory', 'json-file']);
      expect(row.command).toBe('npm run repro');
    }
    expect(rows.filter((row) => row.group === 'security').map((row) => row.id)).toEqual(['tmp-symlink', 'tmp-precreated-file', 'session-file-mode']);
  });

  test('a store the case does not apply to is unknown with the reason, never a pass', () => {
    const [row] = faultRows(result({}));
    expect(row!.perStore.memory).toEqual({ outcome: 'unknown', detail: 'not applicable: no local file: a put left no file on disk' });
  });

  test('crash mid-write: committed sessions lost is a fail, with the numbers', () => {
    const cell = judgeCrash(crash);
    expect(cell.outcome).toBe('fail');
    expect(cell.detail).toContain('12 kills spread over the script\'s 60 writes: 220 committed sessions lost (mean 18.33, max 36 per kill');
    expect(cell.detail).toContain('12 empty, 0 torn');
    expect(judgeCrash({ ...crash, lostTotal: 0, killsWithLoss: 0, files: { ...crash.files, empty: 0, intact: 12 } }).outcome).toBe('pass');
    expect(judgeCrash({ ...crash, landed: 0 }).outcome).toBe('unknown');
  });

  test('a checker that crashes gives unknown with the error', () => {
    const broken = { ...crash, files: undefined } as unknown as CrashResult;
    const [row] = faultRows(result({ crash: { status: 'measured', ...broken } }));
    expect(row!.perStore['json-file']!.outcome).toBe('unknown');
    expect(row!.perStore['json-file']!.detail).toMatch(/^checker failed: /);
  });

  test('a broken file: silence is fine when nothing went wrong; a loss fails even when announced', () => {
    expect(judgeBrokenFile(healthy).outcome).toBe('pass');
    const dropped = { ...healthy, id: 'truncated-json', messages: ['WARN could not parse <case>/store/sessions.json'], saidWhatIsWrong: true, keptAfter: 0, lost: 2, erasedByStore: 2 };
    expect(judgeBrokenFile(dropped)).toMatchObject({ outcome: 'fail' });
    expect(judgeBrokenFile(dropped).detail).toContain('2 erased from disk by the store\'s rewrite');
    expect(judgeBrokenFile({ ...healthy, newPut: 'failed: EACCES', newSessionReadable: false }).outcome).toBe('fail');
    expect(judgeBrokenFile({ ...healthy, alive: false, exit: 'died (code null, signal SIGSEGV)' }).outcome).toBe('fail');
  });
});
