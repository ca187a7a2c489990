import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnChild, stopAllChildren } from './child-process.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
const logDir = mkdtempSync(path.join(os.tmpdir(), 'child-process-test-'));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ESRCH');
    return false;
  }
}

/** Polls until the process is gone or the deadline passes; a readiness check, not a fixed sleep. */
async function waitUntilGone(pid: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

afterAll(() => stopAllChildren({ graceMs: 100 }));

describe('spawnChild and its escalating shutdown', () => {
  test('a child that exits when stdin closes is stopped by closing stdin', async () => {
    const child = spawnChild({ name: 'polite', command: process.execPath, args: [fixture('polite-child.mjs')], env: {}, logDir });
    const ready = await child.waitForReady('stdout', 'polite');
    expect(ready.pid).toBe(child.pid);
    const exit = await child.stop({ graceMs: 2000 });
    expect(exit.stoppedBy).toBe('stdin');
    expect(() => process.kill(child.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  test('a child that ignores stdin and SIGTERM is ended by SIGKILL', async () => {
    const child = spawnChild({ name: 'stubborn', command: process.execPath, args: [fixture('stubborn-child.mjs')], env: {}, logDir });
    await child.waitForReady('stdout', 'stubborn');
    const exit = await child.stop({ graceMs: 200 });
    expect(exit.stoppedBy).toBe('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(() => process.kill(child.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  test('a child that exits before announcing readiness fails fast with its log tail', async () => {
    const child = spawnChild({ name: 'crasher', command: process.execPath, args: ['-e', 'console.error("boom: bad config"); process.exit(2)'], env: {}, logDir });
    await expect(child.waitForReady('stdout', 'anything', 10_000)).rejects.toThrow(/exited before announcing "anything" readiness[\s\S]*boom: bad config/);
  });

  test('the allow-listed environment does not leak the harness environment', async () => {
    process.env.HARNESS_ONLY_SECRET = 'must-not-leak';
    const child = spawnChild({
      name: 'env-printer',
      command: process.execPath,
      args: ['-e', 'console.log(JSON.stringify({ready:"env",url:String(process.env.HARNESS_ONLY_SECRET),pid:process.pid}))'],
      env: { GIVEN: '1' },
      logDir,
    });
    const ready = await child.waitForReady('stdout', 'env');
    expect(ready.url).toBe('undefined');
    delete process.env.HARNESS_ONLY_SECRET;
  });
});

describe('no child outlives the harness', () => {
  const miniHarness = fixture('mini-harness.ts');

  async function startMiniHarness() {
    const harness = execa(process.execPath, ['--import', 'tsx', miniHarness, logDir], { reject: false, buffer: false });
    const childPid = await new Promise<number>((resolve, reject) => {
      let text = '';
      harness.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /child (\d+)/.exec(text);
        if (match) resolve(Number(match[1]));
      });
      void harness.then(() => reject(new Error(`mini harness exited early: ${text}`)));
    });
    return { harness, childPid };
  }

  test('Ctrl-C (SIGINT) on the harness stops a child that ignores SIGTERM', async () => {
    const { harness, childPid } = await startMiniHarness();
    expect(isAlive(childPid)).toBe(true);
    harness.kill('SIGINT');
    const result = await harness;
    expect(result.exitCode).toBe(130);
    expect(await waitUntilGone(childPid, 5000)).toBe(true);
  });

  test('SIGKILL of the harness itself: the reaper ends the child', async () => {
    const { harness, childPid } = await startMiniHarness();
    harness.kill('SIGKILL');
    await harness;
    expect(await waitUntilGone(childPid, 8000)).toBe(true);
  });
});
