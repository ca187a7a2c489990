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

function startWriter(name: string, timeoutMs: number): RunningChild {
  return spawnChild({
    name,
    command: process.execPath,
    args: [WRITER],
    env: gate.env(`^${escapeRegExp(data)}/gated-`, timeoutMs),
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
    // The marker was written aside and renamed: nothing else of the pause is left in the gate's folder.
    expect(readdirSync(gate.dir).sort()).toEqual([`paused-${writer.pid}-1`]);
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
