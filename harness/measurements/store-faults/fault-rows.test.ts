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
  bytesKept: 'all',
  damagedFile: { bytes: 52_428_800, keptAs: 'sessions.json' },
  newFlowsPossible: true,
};

const na = { status: 'not-applicable' as const, reason: 'no local file: a put left no file on disk' };

function result(jsonFile: Partial<StoreFaults>): StoreFaultsResult {
  const memory: StoreFaults = { store: 'memory', profile: na, crash: na, insideWrite: na, writeErrors: na, brokenFiles: {}, symlink: na, precreated: na, durationMs: 1 };
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
    ]);
    for (const row of rows) {
      expect(Object.keys(row.perStore)).toEqual(['memory', 'json-file']);
      expect(row.command).toBe('npm run repro');
    }
    expect(rows.filter((row) => row.group === 'security').map((row) => row.id)).toEqual(['tmp-symlink', 'tmp-precreated-file']);
  });

  // Regression: a case that cannot apply was 'unknown' here while other tables counted it; it is n/a now, with the reason.
  test('a store the case does not apply to is n/a with the reason, never a pass', () => {
    const [row] = faultRows(result({}));
    expect(row!.perStore.memory).toEqual({ outcome: 'n/a', detail: 'no local file: a put left no file on disk' });
  });

  // Regression: the session file's mode was judged here and again by the security rows, and counted twice.
  test('the session file mode is not judged among the fault rows (security/session-file-mode is its one row)', () => {
    expect(faultRows(result({})).map((row) => row.id)).not.toContain('session-file-mode');
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

  test('a broken file: silence is fine when nothing went wrong; losing sessions the fault left whole fails even when announced', () => {
    expect(judgeBrokenFile(healthy).outcome).toBe('pass');
    const dropped = { ...healthy, id: 'read-only-folder', messages: ['WARN could not open <case>/store/sessions.json'], saidWhatIsWrong: true, readableBefore: 0, keptAfter: 0, lost: 2 };
    expect(judgeBrokenFile(dropped)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('lost 2 sessions the fault had left whole') });
    expect(judgeBrokenFile({ ...healthy, alive: false, exit: 'died (code null, signal SIGSEGV)' }).outcome).toBe('fail');
  });

  // Regression: every file store failed "crash" for the sessions the fault itself destroyed.
  describe('a damaged file: judged on what the store did about it, not on what the fault destroyed', () => {
    const garbage: BrokenFileResult = {
      ...healthy,
      id: 'binary-garbage',
      messages: ['WARN ⚠️ Session file <case>/store/sessions.json does not parse (Unexpected token)', 'WARN ⚠️ Moved the unparseable session file aside to <case>/store/sessions.json.corrupt-1700000000000; starting from empty'],
      saidWhatIsWrong: true,
      sessionsBefore: 5,
      stillOnDisk: 0,
      readableBefore: 0,
      keptAfter: 0,
      lost: 5,
      bytesKept: 'none',
      damagedFile: { bytes: 1513, keptAs: 'sessions.json.corrupt-1700000000000' },
    };

    test('kept running, named the file, kept the damaged file aside, served a new flow → pass, the loss still reported', () => {
      const judged = judgeBrokenFile(garbage);
      expect(judged.outcome, judged.detail).toBe('pass');
      expect(judged.detail).toContain('0 kept, 5 lost (destroyed by the fault itself)');
      expect(judged.detail).toContain('damaged file (1513 B) kept as sessions.json.corrupt-1700000000000');
    });

    test('the same, but the store rewrote the damaged file (the write-up\'s flaw) → fail', () => {
      const judged = judgeBrokenFile({ ...garbage, damagedFile: { bytes: 1513 } });
      expect(judged).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('did not keep the damaged file for a person') });
    });

    test('an emptied file leaves nothing to keep: no requirement to keep it', () => {
      expect(judgeBrokenFile({ ...garbage, id: 'empty-file', damagedFile: { bytes: 0 } }).outcome).toBe('pass');
    });

    test('silent about it → fail', () => {
      expect(judgeBrokenFile({ ...garbage, messages: [], saidWhatIsWrong: false })).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('said nothing naming the file') });
    });

    test('refused to work although the path was writable (kept the file in place, served no new flow) → fail', () => {
      const stuck = { ...garbage, damagedFile: { bytes: 1513, keptAs: 'sessions.sqlite' }, newPut: 'impossible (the store did not open)', newSessionReadable: false };
      expect(judgeBrokenFile(stuck)).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('served no new flow although the path was writable') });
    });

    test('no writable path (a directory in place): a refused put that names the file is what a store can do → pass', () => {
      const directory: BrokenFileResult = {
        ...healthy,
        id: 'directory-in-place',
        messages: ['open: Refusing session store path <case>/store/sessions.json: exists and is not a regular file'],
        saidWhatIsWrong: true,
        sessionsBefore: 0,
        stillOnDisk: 0,
        readableBefore: 0,
        keptAfter: 0,
        newPut: 'impossible (the store did not open)',
        newSessionReadable: false,
        bytesKept: 'none',
        newFlowsPossible: false,
      };
      delete directory.damagedFile;
      expect(judgeBrokenFile(directory).outcome).toBe('pass');
    });
  });
});
