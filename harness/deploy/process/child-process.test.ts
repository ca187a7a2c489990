import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { formatBytes, formatCount } from './byte-size.ts';
import { DEFAULT_LOG_CAP_BYTES } from './capped-log.ts';
import { spawnChild, stopAllChildren } from './child-process.ts';
import { explainStartFailure } from './readiness.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { processEnded } from '../../../test/support/process-ended.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));
const logDir = mkdtempSync(path.join(os.tmpdir(), 'child-process-test-'));

/** The error a promise rejects with; fulfilment fails the test. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

/** Polls until the process has ended (gone, or a zombie waiting for init) or the deadline passes; a readiness check, not a fixed sleep. */
const waitUntilGone = (pid: number, deadlineMs: number) => eventually(() => processEnded(pid), deadlineMs);

afterAll(async () => {
  await stopAllChildren({ graceMs: 100 });
  // A flood test leaves megabytes of log behind.
  rmSync(logDir, { recursive: true, force: true });
});

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

// At once: each test waits mostly on its own processes (a harness starting, the grace periods of a stop).
describe.concurrent('no child outlives the harness', () => {
  const miniHarness = fixture('mini-harness.ts');

  async function startMiniHarness() {
    // The reaper the harness starts inherits this: its grace between SIGTERM and SIGKILL, which the stubborn
    // child ignores and the SIGKILL test waited out, shortened; the child must still be ended by it.
    const harness = execa(process.execPath, ['--import', 'tsx', miniHarness, logDir], { reject: false, buffer: false, env: { REAPER_GRACE_MS: '200' } });
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
    expect(processEnded(childPid)).toBe(false);
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

/** flood.mjs prints numbered lines of 128 bytes, then this one. */
const FLOOD_LINE_BYTES = 128;
const floodLine = (n: number) => `line ${String(n).padStart(6, '0')} ${'x'.repeat(115)}`;
const FLOOD_DONE = 'flood done';

describe('a child that floods its output', () => {
  test('50 MB on stdout, then exit: the log stays under its cap and counts what it left out', { timeout: 120_000 }, async () => {
    const count = 400_000;
    const child = spawnChild({ name: 'flood-and-exit', command: process.execPath, args: [fixture('flood.mjs'), 'stdout', String(count), 'exit'], env: {}, logDir });
    const readiness = failureOf(child.waitForReady('stdout', 'never'));
    // Matching sees every line as it arrives, even one long gone from memory by the time the flood ends.
    const middle = child.waitForLine('stdout', (line) => (line === floodLine(200_000) ? true : undefined), 'the middle line');
    await expect(middle).resolves.toBe(true);
    const printedBytes = count * FLOOD_LINE_BYTES + FLOOD_DONE.length + 1;
    const printed = { bytes: printedBytes, lines: count + 1 };

    const failure = await readiness;
    expect(failure.message.split('\n')[0]).toBe(
      `flood-and-exit (pid ${child.pid}) exited before announcing "never" readiness on stdout (code 0); it printed ${formatBytes(printedBytes)} on stdout: ${formatCount(count + 1)} lines; see its log ${child.logPath}`,
    );
    expect(child.printed('stdout')).toEqual(printed);

    await child.logClosed;
    const log = readFileSync(child.logPath, 'utf8');
    expect(statSync(child.logPath).size).toBeLessThan(DEFAULT_LOG_CAP_BYTES + 4096);
    const entry = /^\s*\d+ stdout /;
    const keptLines = log.split('\n').filter((line) => entry.test(line));
    const keptBytes = keptLines.reduce((sum, line) => sum + Buffer.byteLength(line.replace(entry, '')) + 1, 0);
    expect(keptLines.length).toBeGreaterThan(0);
    // The file's own notes, not the whole file: a failure message with 8 MiB in it helps nobody.
    const notes = log.split('\n').filter((line) => line.startsWith('# '));
    expect(notes.slice(1)).toEqual([
      expect.stringMatching(/^# log cap of 8\.0 MiB reached at \d+ ms: further stdout\/stderr lines are counted, not kept \(OAUTH_REPRO_LOG_CAP_BYTES sets the cap\)$/),
      `# log capped at 8.0 MiB: ${formatCount(count + 1 - keptLines.length)} lines (${formatBytes(printedBytes - keptBytes)}) of stdout/stderr not kept`,
      '# exited code=0 signal=null stoppedBy=self',
    ]);
    expect(log.endsWith('# exited code=0 signal=null stoppedBy=self\n')).toBe(true);

    // Memory is bounded too: the first lines and the last ones, not the flood.
    const kept = child.stdout.lines;
    expect(kept.length).toBeLessThanOrEqual(10_100);
    expect(kept[0]).toBe(floodLine(1));
    expect(kept.at(-1)).toBe(FLOOD_DONE);
    expect(child.stdout.dropped).toBe(count + 1 - kept.length);
  });

  test('a flood that keeps running is named in the readiness timeout it causes', async () => {
    const count = 20_000;
    const child = spawnChild({ name: 'flood-and-stay', command: process.execPath, args: [fixture('flood.mjs'), 'stdout', String(count), 'stay'], env: {}, logDir });
    await child.waitForLine('stdout', (line) => (line === FLOOD_DONE ? true : undefined), 'the end of the flood');
    const failure = await failureOf(child.waitForReady('stdout', 'never', 200));
    const printedBytes = count * FLOOD_LINE_BYTES + FLOOD_DONE.length + 1;
    expect(failure.message.split('\n')[0]).toBe(
      `flood-and-stay (pid ${child.pid}) did not announce "never" readiness on stdout within 200 ms; it printed ${formatBytes(printedBytes)} on stdout: ${formatCount(count + 1)} lines; see its log ${child.logPath}`,
    );
    await child.stop({ graceMs: 2000 });
  });

  test('a quiet child that times out is not said to have flooded', async () => {
    const child = spawnChild({ name: 'quiet', command: process.execPath, args: [fixture('polite-child.mjs')], env: {}, logDir });
    await child.waitForReady('stdout', 'polite');
    const failure = await failureOf(child.waitForReady('stdout', 'never', 100));
    expect(failure.message.split('\n')[0]).toBe(`quiet (pid ${child.pid}) did not announce "never" readiness on stdout within 100 ms`);
    await child.stop({ graceMs: 2000 });
  });
});

describe('a readiness failure names the stream it watched and quotes both', () => {
  // The awaited line arrives on stderr while the target file says stdout: the failure must point there, not only at silence.
  const script = [
    'console.log("loading config");',
    'console.log("config loaded");',
    'console.error("OAuth server running on http://localhost:4321");',
    'setInterval(() => undefined, 1000);',
  ].join(' ');

  test('a timeout: the watched stream, the last lines of stdout and of stderr, and the matching line on the other stream', async () => {
    const child = spawnChild({ name: 'wrong-stream', command: process.execPath, args: ['-e', script], env: {}, logDir });
    await child.waitForLine('stderr', (line) => (line.startsWith('OAuth server running') ? true : undefined), 'its stderr line');
    await child.waitForLine('stdout', (line) => (line === 'config loaded' ? true : undefined), 'its stdout lines');
    const pattern = /OAuth server running on http:\/\/localhost:(?<port>\d+)/;
    const failure = await failureOf(child.waitForLine('stdout', (line) => pattern.exec(line) ?? undefined, `a line matching ${pattern}`, 150));
    expect(failure.message.split('\n')).toEqual([
      `wrong-stream (pid ${child.pid}) did not announce a line matching ${pattern} on stdout within 150 ms; a line on stderr matches instead (is the readiness stream stderr?): "OAuth server running on http://localhost:4321"`,
      'stdout (last 2 of 2 lines):',
      '  | loading config',
      '  | config loaded',
      'stderr (last 1 of 1 line):',
      '  | OAuth server running on http://localhost:4321',
    ]);
    await child.stop({ graceMs: 500 });
  });

  test('an exit: a silent stream is said to be silent, and nothing is said of the other stream when nothing there matches', async () => {
    const child = spawnChild({ name: 'exits-quietly', command: process.execPath, args: ['-e', 'console.log("only stdout"); process.exit(3)'], env: {}, logDir });
    const failure = await failureOf(child.waitForLine('stderr', (line) => (line === 'ready' ? true : undefined), 'the word ready'));
    expect(failure.message.split('\n')).toEqual([
      `exits-quietly (pid ${child.pid}) exited before announcing the word ready on stderr (code 3)`,
      'stdout (last 1 of 1 line):',
      '  | only stdout',
      'stderr: nothing',
    ]);
  });
});

describe('a child that throws at startup', () => {
  test('the explanation quotes its error, not Node\'s version banner, and keeps the original as the cause', async () => {
    const child = spawnChild({ name: 'thrower', command: process.execPath, args: [fixture('throws-at-startup.mjs')], env: {}, logDir });
    const failure = await failureOf(child.waitForReady('stdout', 'thrower'));
    expect(child.stderr.lines.filter((line) => line.trim()).at(-1)).toMatch(/^Node\.js v\d+/);
    const explained = await explainStartFailure(child, failure);
    expect(explained.message.split('\n')[0]).toBe('thrower exited before it was ready (code 1): Error: OAUTH_CLIENT_ID is not set');
    expect(explained.cause).toBe(failure);
    expect(explained.message).toContain(failure.message);
  });
});
