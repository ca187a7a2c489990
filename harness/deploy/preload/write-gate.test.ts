/**
 * The write-gate preload in a real child process, driven by the harness's
 * WriteGate: an armed process stops before a matching write until released;
 * an unarmed one, or a path that does not match, never stops; an async write
 * holds only its own call; and the deadline lets a forgotten pause go.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { escapeRegExp, WriteGate } from '../../measurements/races/write-gate.ts';

const WRITER = path.join(import.meta.dirname, 'test-fixtures', 'gated-writer.mjs');
let dir: string;
let gate: WriteGate;
let data: string;
let ids = 0;

function startWriter(name: string, timeoutMs: number, extraEnv: Record<string, string> = {}): RunningChild {
  return spawnChild({
    name,
    command: process.execPath,
    args: [WRITER],
    env: { ...gate.env(`^${escapeRegExp(data)}/gated-`, timeoutMs, [path.join(data, 'gated-excluded'), path.join(data, 'gated-excluded-file.json')]), ...extraEnv },
    logDir: path.join(dir, 'logs'),
  });
}

async function ready(child: RunningChild) {
  await child.waitForLine('stdout', (line) => (line.includes('"ready"') ? true : undefined), 'ready');
}

/** Sends one request; the returned promise settles when the child says it is done. */
function request(child: RunningChild, op: string, file: string, from?: string): { done: Promise<void>; isDone: () => boolean } {
  const id = ++ids;
  let finished = false;
  const done = child
    .waitForLine('stdout', (line) => ((JSON.parse(line) as { id?: number }).id === id ? true : undefined), `request ${id}`, 15_000)
    .then(() => {
      finished = true;
    });
  child.subprocess.stdin?.write(`${JSON.stringify({ id, op, path: file, from })}\n`);
  return { done, isDone: () => finished };
}

let writer: RunningChild;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'write-gate-test-'));
  data = path.join(dir, 'data');
  gate = new WriteGate(path.join(dir, 'gate'));
  mkdirSync(data, { recursive: true });
  writer = startWriter('gated-writer', 20_000);
  await ready(writer);
});

afterAll(async () => {
  gate?.letGo(writer?.pid ?? 0);
  await writer?.stop({ graceMs: 500 });
  rmSync(dir, { recursive: true, force: true });
});

describe('write gate', () => {
  test('an unarmed process writes straight through', async () => {
    const file = path.join(data, 'gated-unarmed.json');
    await request(writer, 'writeFileSync', file).done;
    expect(existsSync(file)).toBe(true);
    expect(gate.pauses(writer.pid)).toEqual([]);
  });

  test('armed: writeFileSync stops before writing until released', async () => {
    const file = path.join(data, 'gated-sync.json');
    gate.arm(writer.pid);
    const write = request(writer, 'writeFileSync', file);
    const wait = await gate.waitForPause(writer.pid, { deadlineMs: 10_000, settled: write.isDone });
    gate.disarm(writer.pid);
    expect(wait.paused).toEqual({ pid: writer.pid, n: 1 });
    expect(gate.describe(wait.paused!)).toMatchObject({ call: 'writeFileSync', path: file });
    // The marker was written aside and renamed: nothing else of the pause is left in the gate's folder (beside the journal).
    expect(readdirSync(gate.dir).sort()).toEqual([`paused-${writer.pid}-1`, `wrote-${writer.pid}.jsonl`]);
    expect(existsSync(file)).toBe(false);
    expect(write.isDone()).toBe(false);
    gate.release(wait.paused!);
    await write.done;
    expect(readFileSync(file, 'utf8')).toBe('written by writeFileSync');
  });

  test('armed: a path that does not match is not held', async () => {
    const file = path.join(data, 'other.json');
    gate.arm(writer.pid);
    const write = request(writer, 'writeFileSync', file);
    const wait = await gate.waitForPause(writer.pid, { deadlineMs: 10_000, settled: write.isDone });
    gate.disarm(writer.pid);
    expect(wait).toEqual({ why: 'settled' });
    expect(existsSync(file)).toBe(true);
  });

  test('armed: promises.writeFile holds only its own call; the process keeps answering', async () => {
    const file = path.join(data, 'gated-async.json');
    gate.arm(writer.pid);
    const write = request(writer, 'promises.writeFile', file);
    const wait = await gate.waitForPause(writer.pid, { deadlineMs: 10_000, settled: write.isDone });
    gate.disarm(writer.pid);
    expect(gate.describe(wait.paused!)).toMatchObject({ call: 'promises.writeFile', path: file });
    await request(writer, 'ping', '').done;
    expect(write.isDone()).toBe(false);
    expect(existsSync(file)).toBe(false);
    gate.release(wait.paused!);
    await write.done;
    expect(existsSync(file)).toBe(true);
  });

  test('armed: renameSync is held on its destination (temp file + rename stores)', async () => {
    const file = path.join(data, 'gated-renamed.json');
    const temp = path.join(data, 'temp.json');
    gate.arm(writer.pid);
    const write = request(writer, 'renameSync', file, temp);
    const wait = await gate.waitForPause(writer.pid, { deadlineMs: 10_000, settled: write.isDone });
    gate.disarm(writer.pid);
    expect(gate.describe(wait.paused!)).toMatchObject({ call: 'renameSync', path: file });
    expect([existsSync(temp), existsSync(file)]).toEqual([true, false]);
    gate.release(wait.paused!);
    await write.done;
    expect([existsSync(temp), existsSync(file)]).toEqual([false, true]);
  });

  test('armed: an appended line is a write too (appendFileSync goes through writeFileSync)', async () => {
    const file = path.join(data, 'gated-appended.log');
    gate.arm(writer.pid);
    const write = request(writer, 'appendFileSync', file);
    const wait = await gate.waitForPause(writer.pid, { deadlineMs: 10_000, settled: write.isDone });
    gate.disarm(writer.pid);
    expect(gate.describe(wait.paused!)).toMatchObject({ call: 'writeFileSync', path: file });
    gate.release(wait.paused!);
    await write.done;
  });

  // Regression: from a checkout under /tmp the gate held the callback at the harness's own interception log, before the store read its file.
  test('armed: excluded paths (a folder and all under it, a file) and the interception log are never held nor journalled', async () => {
    const interceptLog = path.join(data, 'gated-intercept.jsonl');
    const excludedWriter = startWriter('gated-writer-excluded', 20_000, { OAUTH_REPRO_INTERCEPT_LOG: interceptLog });
    try {
      await ready(excludedWriter);
      mkdirSync(path.join(data, 'gated-excluded', 'deeper'), { recursive: true });
      gate.arm(excludedWriter.pid);
      const writes: [string, string][] = [
        ['appendFileSync', interceptLog],
        ['writeFileSync', path.join(data, 'gated-excluded', 'deeper', 'x.json')],
        ['writeFileSync', path.join(data, 'gated-excluded-file.json')],
      ];
      for (const [op, file] of writes) {
        const write = request(excludedWriter, op, file);
        expect(await gate.waitForPause(excludedWriter.pid, { deadlineMs: 10_000, settled: write.isDone }), file).toEqual({ why: 'settled' });
        expect(existsSync(file)).toBe(true);
      }
      // A sibling whose name only starts like the excluded file's is not excluded.
      const sibling = path.join(data, 'gated-excluded-file.json.bak');
      const write = request(excludedWriter, 'writeFileSync', sibling);
      const wait = await gate.waitForPause(excludedWriter.pid, { deadlineMs: 10_000, settled: write.isDone });
      gate.letGo(excludedWriter.pid);
      expect(wait.paused && gate.describe(wait.paused)).toMatchObject({ path: sibling });
      await write.done;
      expect(gate.writes(excludedWriter.pid).map((w) => w.path)).toEqual([sibling]);
    } finally {
      gate.letGo(excludedWriter.pid);
      await excludedWriter.stop({ graceMs: 500 });
    }
  });

  test('every gated-path write is journalled, armed or not, and read from a mark on', async () => {
    const mark = gate.writes(writer.pid).length;
    const file = path.join(data, 'gated-journal.json');
    await request(writer, 'writeFileSync', file).done;
    await request(writer, 'writeFileSync', path.join(data, 'not-gated.json')).done;
    expect(gate.writes(writer.pid, mark)).toEqual([{ call: 'writeFileSync', path: file, at: expect.any(Number) }]);
  });

  test('a pause nobody releases ends at WRITE_GATE_TIMEOUT_MS, and says so', async () => {
    const forgetful = startWriter('gated-writer-timeout', 300);
    try {
      await ready(forgetful);
      const file = path.join(data, 'gated-timeout.json');
      gate.arm(forgetful.pid);
      await request(forgetful, 'writeFileSync', file).done;
      gate.disarm(forgetful.pid);
      expect(gate.pauses(forgetful.pid)).toEqual([{ pid: forgetful.pid, n: 1 }]);
      expect(existsSync(path.join(gate.dir, `timeout-${forgetful.pid}-1`))).toBe(true);
      expect(existsSync(file)).toBe(true);
    } finally {
      await forgetful.stop({ graceMs: 500 });
    }
  });
});
