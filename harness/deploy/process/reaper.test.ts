/**
 * After a crash: a harness killed with SIGKILL runs no cleanup, so the
 * orphan reaper must end its children and then remove the temporary folders
 * the harness claimed (its hosts folder, redis-server's folder), and leave
 * one alone that was released (--keep).
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { removeFolder } from '../../core/remove-folder.mjs';
import { eventually } from '../../../test/support/eventually.ts';
import { processEnded } from '../../../test/support/process-ended.ts';

const miniHarness = fileURLToPath(new URL('./test-fixtures/harness-with-folder.ts', import.meta.url));
const logDir = mkdtempSync(path.join(os.tmpdir(), 'reaper-test-logs-'));
const leftFolders: string[] = [];

afterAll(() => {
  for (const dir of leftFolders) removeFolder(dir);
  rmSync(logDir, { recursive: true, force: true });
});


async function startAndKill(mode: 'claimed' | 'released'): Promise<{ childPid: number; reaperPid: number; folder: string }> {
  // The reaper it starts inherits this: its grace between SIGTERM and SIGKILL, which the child below ignores and
  // every test here waited out, shortened; what is checked, the child ended and the folder removed after it, is the same.
  const harness = execa(process.execPath, ['--import', 'tsx', miniHarness, logDir, mode], { reject: false, buffer: false, env: { REAPER_GRACE_MS: '200' } });
  const started = await new Promise<{ childPid: number; reaperPid: number; folder: string }>((resolve, reject) => {
    let text = '';
    harness.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /child (\d+) reaper (\d+) folder (\S+)/.exec(text);
      if (match) resolve({ childPid: Number(match[1]), reaperPid: Number(match[2]), folder: match[3]! });
    });
    void harness.then((result) => reject(new Error(`mini harness exited early (${result.exitCode}): ${text}${String(result.stderr ?? '')}`)));
  });
  leftFolders.push(started.folder);
  expect(processEnded(started.childPid)).toBe(false);
  expect(existsSync(path.join(started.folder, 'read-only', 'secret'))).toBe(true);
  harness.kill('SIGKILL');
  await harness;
  return started;
}

// At once: each test waits mostly on its own processes (a harness starting, a reaper's grace and its polling).
describe.concurrent('the orphan reaper after the harness is SIGKILLed', () => {
  // The reaper exits once it has done everything; its end is the event both tests wait for.
  // Ended means gone or a zombie: an orphan here stays a zombie for a second or two until init reaps it.
  test('ends the child, then removes the claimed folder, read-only content and all', { timeout: 30_000 }, async () => {
    const { childPid, reaperPid, folder } = await startAndKill('claimed');
    expect(await eventually(() => processEnded(reaperPid), 20_000)).toBe(true);
    // The child ignores SIGTERM: the reaper's SIGKILL ended it.
    expect(await eventually(() => processEnded(childPid), 15_000)).toBe(true);
    // Removed after the child died, not before: the child writes into it every 5 ms and would have made it again.
    expect(existsSync(folder)).toBe(false);
  });

  test('a released folder (--keep) stays; the child still ends', { timeout: 30_000 }, async () => {
    const { childPid, reaperPid, folder } = await startAndKill('released');
    expect(await eventually(() => processEnded(reaperPid), 20_000)).toBe(true);
    expect(await eventually(() => processEnded(childPid), 15_000)).toBe(true);
    expect(existsSync(path.join(folder, 'read-only', 'secret'))).toBe(true);
  });
});
