/**
 * The session file's mode, judged once and only where there is a file.
 * Regressions: a store with no file got a security pass for its
 * file's mode; the mode was judged here, again by the fault rows
 * and once more for the folder, and counted twice in grading.
 */
import { expect, test } from 'vitest';
import type { SecurityResult, StoreSecurity } from './measure-security.ts';
import { judgeSessionFileMode, securityRows } from './security-rows.ts';

const realTmpdir = { path: '/tmp', mode: '01777' };

const file = (relative: string, mode: string, folderMode: string, extra: Partial<StoreSecurity['files'][number]> = {}): StoreSecurity['files'][number] =>
  ({
    relative,
    size: 1500,
    mode,
    folderMode,
    folderSticky: folderMode.startsWith('01'),
    groupOrOtherReadable: (Number.parseInt(mode, 8) & 0o044) !== 0,
    otherUserCanRead: (Number.parseInt(mode, 8) & 0o004) !== 0,
    folderWritableByOthers: false,
    symlink: false,
    verifierCount: 5,
    tokenCount: 1,
    ...extra,
  }) as StoreSecurity['files'][number];

const store = (name: string, files: StoreSecurity['files']) => ({ store: name, files }) as unknown as StoreSecurity;

test('a store that keeps no session file is n/a for the file mode, with the reason', () => {
  expect(judgeSessionFileMode(store('redis', []), realTmpdir)).toMatchObject({ outcome: 'n/a', detail: expect.stringContaining('the store keeps no session file') });
});

test.each([
  ['0644 in sticky /tmp: readable by other users → fail', [file('a/tmp/jira-oauth-sessions.json', '0644', '01777')], 'fail'],
  ['0600 in a 0700 folder → pass', [file('a/tmp/jira-oauth-0/sessions.json', '0600', '0700')], 'pass'],
  ['0600 in a folder others can write without the sticky bit → fail', [file('a/tmp/x/sessions.json', '0600', '0777', { folderWritableByOthers: true })], 'fail'],
] as const)('%s', (_name, files, outcome) => {
  expect(judgeSessionFileMode(store('s', [...files]), realTmpdir).outcome).toBe(outcome);
});

test("one row for the session file's mode: no separate folder row", () => {
  const result = {
    quick: true,
    stores: ['json-file', 'redis'],
    perStore: [store('json-file', [file('a/tmp/jira-oauth-sessions.json', '0644', '01777')]), store('redis', [])],
    realTmpdir,
    errors: [],
  } as unknown as SecurityResult;
  const rows = securityRows({ ...result, inProcess: { draws: 0, drawsPerSecond: 0, entropy: { draws: 0, length: { min: 0, max: 0 } } }, repository: { findings: [], filesSearched: 0, placeholders: 0 }, sharedLogs: { scan: { findings: [] }, hygiene: {} }, knownSecrets: {} } as unknown as SecurityResult);
  const modeRows = rows.filter((row) => /mode/.test(row.id));
  expect(modeRows.map((row) => row.id)).toEqual(['security/session-file-mode']);
  expect(modeRows[0]!.perStore.redis!.outcome).toBe('n/a');
  expect(modeRows[0]!.perStore['json-file']!.outcome).toBe('fail');
});

test('a row the target cannot offer is n/a for every store with the recorded reason; the rows beside it are still judged', () => {
  const result = {
    quick: true,
    stores: ['json-file-tmpdir'],
    perStore: [store('json-file-tmpdir', [file('a/tmp/sessions.json', '0600', '0700')])],
    realTmpdir,
    errors: [],
    notApplicable: { 'security/state-entropy-in-process': 'needs a store module: the target file gives none' },
    repository: { findings: [], filesSearched: 1, placeholders: 0 },
    sharedLogs: { scan: { findings: [] }, hygiene: {} },
    knownSecrets: {},
  } as unknown as SecurityResult;
  const rows = securityRows(result);
  expect(rows.find((row) => row.id === 'security/state-entropy-in-process')!.perStore['json-file-tmpdir']).toEqual({ outcome: 'n/a', detail: 'needs a store module: the target file gives none' });
  expect(rows.find((row) => row.id === 'security/session-file-mode')!.perStore['json-file-tmpdir']!.outcome).toBe('pass');
});

// Regression: a weaker generator in src/ failed the in-process row for sealed-state too, which mints its own state.
test("the in-process generator is judged for the stores whose states are its own, n/a for a store that mints its own", () => {
  const weak = { draws: 2000, unique: 2000, repeated: [], length: { min: 11, max: 11 }, alphabet: { size: 64, base64url: true, urlSafe: true, outside: '' }, bitsPerChar: 6, estimatedBits: 64 };
  const drawsOf = (chars: number) => ({ drawn: 100, requested: 100, drawsPerSecond: 100, concurrency: 4, budgetMs: 2000, timeBoxed: false, toolErrors: 0, entropy: { ...weak, draws: 100, unique: 100, length: { min: chars, max: chars } } });
  const result = {
    quick: true,
    stores: ['json-file', 'sealed-state'],
    perStore: [{ ...store('json-file', []), draws: drawsOf(11) }, { ...store('sealed-state', []), draws: drawsOf(258) }],
    realTmpdir,
    errors: [],
    inProcess: { draws: 2000, drawsPerSecond: 1000, durationMs: 2, entropy: weak },
    repository: { findings: [], filesSearched: 1, placeholders: 0 },
    sharedLogs: { scan: { findings: [] }, hygiene: {} },
    knownSecrets: {},
  } as unknown as SecurityResult;
  const row = securityRows(result).find((r) => r.id === 'security/state-entropy-in-process')!;
  expect(row.perStore['json-file']).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('≈64 bits < 128') });
  expect(row.perStore['sealed-state']).toMatchObject({ outcome: 'n/a', detail: expect.stringContaining('this store mints its own state (258 characters over MCP') });
});
