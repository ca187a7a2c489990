/**
 * A run folder and its hosts folder: the hosts folder lives under the real
 * /tmp and is the run's to remove when it ends (every run used to leave one
 * behind, failed starts included), unless the run keeps it (--keep).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { closeRunFolder, createRunFolder, parseRunFolderId, runFolderId } from './run-folder.ts';
import { removeFolder } from './remove-folder.mjs';
import { claimedTemporaryFolders } from './temporary-folders.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'run-folder-test-'));
const made: string[] = [];

afterAll(() => {
  for (const dir of made) removeFolder(dir);
  rmSync(root, { recursive: true, force: true });
});

/** What a run leaves in a host's folder: read-only folders and files, and a link to a file outside that must survive. */
function fillLikeARun(hostsDir: string, outside: string): void {
  const host = path.join(hostsDir, 'cell', 'a', 'tmp');
  mkdirSync(path.join(host, 'store'), { recursive: true });
  writeFileSync(path.join(host, 'store', 'sessions.json'), '{}', { mode: 0o400 });
  chmodSync(path.join(host, 'store'), 0o500);
  symlinkSync(outside, path.join(host, 'sessions.json'));
}

describe('createRunFolder and closeRunFolder', () => {
  test('the hosts folder is under os.tmpdir(), linked from the run, and claimed until the run closes', () => {
    const run = createRunFolder(root, 'claimed');
    made.push(run.hostsDir);
    expect(path.dirname(run.hostsDir)).toBe(os.tmpdir());
    expect(path.basename(run.hostsDir)).toMatch(new RegExp(`^oauth-state-repro-hosts-${run.id}-`));
    expect(readlinkSync(path.join(run.dir, 'hosts'))).toBe(run.hostsDir);
    expect(claimedTemporaryFolders()).toContain(run.hostsDir);
    expect(readlinkSync(path.join(root, 'latest'))).toBe(run.id);
  });

  // Regression: every run left /tmp/oauth-state-repro-hosts-<id>-XXXX behind.
  test('closing removes the hosts folder, read-only content and all, and the link to it; a file a link inside points at stays', () => {
    const run = createRunFolder(root, 'closed');
    made.push(run.hostsDir);
    const outside = path.join(root, 'outside-file');
    writeFileSync(outside, 'not the run\'s');
    fillLikeARun(run.hostsDir, outside);
    expect(closeRunFolder(run)).toEqual({ hostsDir: 'removed' });
    expect(existsSync(run.hostsDir)).toBe(false);
    expect(() => lstatSync(path.join(run.dir, 'hosts'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(existsSync(outside)).toBe(true);
    expect(existsSync(run.logDir)).toBe(true);
    expect(claimedTemporaryFolders()).not.toContain(run.hostsDir);
  });

  test('--keep at the end: the hosts folder and its link stay, and nothing removes it later', () => {
    const run = createRunFolder(root, 'kept-at-end');
    made.push(run.hostsDir);
    fillLikeARun(run.hostsDir, path.join(root, 'nowhere'));
    expect(closeRunFolder(run, { keep: true })).toEqual({ hostsDir: 'kept' });
    expect(existsSync(path.join(run.dir, 'hosts', 'cell', 'a', 'tmp', 'store', 'sessions.json'))).toBe(true);
    expect(claimedTemporaryFolders()).not.toContain(run.hostsDir);
  });

  test('--keep from the start: never claimed (a crash leaves it too), and closing keeps it', () => {
    const run = createRunFolder(root, 'kept', { keep: true });
    made.push(run.hostsDir);
    expect(run.keep).toBe(true);
    expect(claimedTemporaryFolders()).not.toContain(run.hostsDir);
    expect(closeRunFolder(run)).toEqual({ hostsDir: 'kept' });
    expect(existsSync(run.hostsDir)).toBe(true);
  });
});

describe('run folder names', () => {
  test('a name runFolderId made parses back; other names of the runs folder do not', () => {
    const id = runFolderId(new Date('2026-12-05T16:08:13.123Z'), 4242, 'gate-browser');
    expect(id).toBe('2026-12-05T16-08-13-123Z-4242-gate-browser');
    expect(parseRunFolderId(id)).toEqual({ stamp: '2026-12-05T16-08-13-123Z', pid: 4242, label: 'gate-browser' });
    expect(parseRunFolderId('2026-12-05T16-08-13-123Z-4242')).toEqual({ stamp: '2026-12-05T16-08-13-123Z', pid: 4242, label: '' });
    for (const other of ['latest', '.cache', 'test', 'junit', 'my-notes', '2026-12-05', '2026-12-05T16-08-13-123Z']) expect(parseRunFolderId(other), other).toBeUndefined();
  });
});
