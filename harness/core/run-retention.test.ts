/**
 * Retention for the runs root: runs/ grew by ~80 MB a full run with nothing
 * ever removed. At the start of a run only the newest --keep-runs N stay
 * (the new run among them); `latest`, a run still running and anything that
 * is not a run folder are never removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeRoomForRun, pruneRunsRoot, runFoldersToRemove } from './run-retention.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'run-retention-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run folder names a minute apart, oldest first, each of its own pid. */
const runNameOf = (minute: number, pid: number, label = '') => `2026-12-05T16-${String(minute).padStart(2, '0')}-00-000Z-${pid}${label ? `-${label}` : ''}`;
const runName = (minute: number, pid = 100 + minute, label = '') => runNameOf(minute, pid, label);
const nobodyRunning = () => false;

describe('runFoldersToRemove', () => {
  const names = [runName(1), runName(2), runName(3), runName(4), runName(5)];

  test('keeps the newest, removes the rest; the order of the listing does not matter', () => {
    expect(runFoldersToRemove({ names: [...names].reverse(), keep: 2, running: nobodyRunning })).toEqual([runName(3), runName(2), runName(1)]);
    expect(runFoldersToRemove({ names, keep: 5, running: nobodyRunning })).toEqual([]);
    expect(runFoldersToRemove({ names, keep: 0, running: nobodyRunning })).toHaveLength(5);
  });

  test('never the one latest points at, nor a run whose harness still runs', () => {
    expect(runFoldersToRemove({ names, keep: 1, latest: runName(2), running: (pid) => pid === 103 })).toEqual([runName(4), runName(1)]);
  });

  test('never a name that is not a run folder\'s', () => {
    expect(runFoldersToRemove({ names: ['latest', 'test', '.cache', 'junit', 'notes', runName(1)], keep: 0, running: nobodyRunning })).toEqual([runName(1)]);
  });
});

describe('pruneRunsRoot on a runs folder', () => {
  /** Six finished runs (1 MB of logs each), the oldest one `latest`, one still running, and what else lives in runs/. */
  function runsFolder(pid?: number): { root: string; keptHosts: string; foreignTarget: string } {
    const root = mkdtempSync(path.join(scratch, 'runs-'));
    const runName = (minute: number) => runNameOf(minute, pid ?? 100 + minute);
    for (let minute = 1; minute <= 6; minute++) {
      mkdirSync(path.join(root, runName(minute), 'logs'), { recursive: true });
      writeFileSync(path.join(root, runName(minute), 'logs', 'tool.log'), Buffer.alloc(1024 * 1024, 1));
    }
    symlinkSync(runName(1), path.join(root, 'latest'));
    // A run kept with --keep: its hosts folder in /tmp goes with it.
    const keptHosts = mkdtempSync(path.join(os.tmpdir(), `oauth-state-repro-hosts-${runName(2)}-`));
    writeFileSync(path.join(keptHosts, 'session.json'), Buffer.alloc(64 * 1024, 1));
    symlinkSync(keptHosts, path.join(root, runName(2), 'hosts'));
    // A `hosts` link to something that is not that run's hosts folder is not followed.
    const foreignTarget = mkdtempSync(path.join(scratch, 'not-a-hosts-folder-'));
    symlinkSync(foreignTarget, path.join(root, runName(3), 'hosts'));
    for (const other of ['test', '.cache']) mkdirSync(path.join(root, other));
    writeFileSync(path.join(root, 'notes.txt'), 'mine');
    writeFileSync(path.join(root, runName(0)), 'a file with a run folder\'s name');
    return { root, keptHosts, foreignTarget };
  }

  test('keeps --keep-runs N with the new run: N - 1 old ones, plus latest and the running one; says what it freed', () => {
    const { root, keptHosts, foreignTarget } = runsFolder();
    const pruned = pruneRunsRoot(root, 3, (pid) => pid === 104);
    expect(pruned.removed.sort()).toEqual([runName(2), runName(3)]);
    expect(pruned.failed).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['.cache', runName(0), runName(1), runName(4), runName(5), runName(6), 'latest', 'notes.txt', 'test'].sort());
    expect(existsSync(keptHosts)).toBe(false);
    expect(existsSync(foreignTarget)).toBe(true);
    // Two runs of 1 MB, and the kept hosts folder's 64 KB: blocks on disk, so at least that much.
    expect(pruned.freedBytes).toBeGreaterThanOrEqual(2 * 1024 * 1024 + 64 * 1024);
    expect(pruned.freedBytes).toBeLessThan(3 * 1024 * 1024);
  });

  test('a runs folder that does not exist yet: nothing to do', () => {
    expect(pruneRunsRoot(path.join(scratch, 'never-made'), 3)).toEqual({ removed: [], failed: [], freedBytes: 0, kept: 0 });
  });

  test('makeRoomForRun says how many went and how much that freed in one line, and nothing when none went', () => {
    // It asks the system which runs still run: these were made by a process that has exited.
    const { root } = runsFolder(spawnSync('true').pid);
    const lines: string[] = [];
    // This process is running: a run folder with its pid is never removed.
    mkdirSync(path.join(root, runName(0, process.pid, 'mine')));
    makeRoomForRun(root, 2, (line) => lines.push(line));
    expect(lines).toEqual([expect.stringMatching(/^repro: removed 4 old run folders from .* \(4\.\d MB freed; --keep-runs 2 keeps the newest, this run included\)$/)]);
    expect(existsSync(path.join(root, runName(0, process.pid, 'mine')))).toBe(true);
    lines.length = 0;
    makeRoomForRun(root, 2, (line) => lines.push(line));
    expect(lines).toEqual([]);
  });
});
