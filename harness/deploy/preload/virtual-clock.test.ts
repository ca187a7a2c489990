/**
 * The virtual-clock preload in a real child process: shared offset, a skew
 * from the environment, a skew per pid from the file, and a file change seen
 * at the very next reading (no waiting).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MINUTE_MS, VirtualClock } from '../../measurements/ttl-clock/virtual-clock.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';

const PROBE = path.join(import.meta.dirname, 'test-fixtures', 'clock-probe.mjs');
/** Generous for a loaded 2-core machine; the offsets measured are minutes and hours. */
const TOLERANCE_MS = 2_000;

interface Reading {
  id: string;
  real: number;
  dateNow: number;
  newDate: number;
  dateCall: string;
  epochZero: number;
  parsed: number;
  isDate: boolean;
}

let dir: string;
let clock: VirtualClock;
let probe: RunningChild;
let queries = 0;

async function read(): Promise<Reading> {
  const id = String(++queries);
  const reading = probe.waitForLine('stdout', (line) => {
    const parsed = JSON.parse(line) as Partial<Reading>;
    return parsed.id === id ? (parsed as Reading) : undefined;
  }, `reading ${id}`, 5_000);
  probe.subprocess.stdin?.write(`${id}\n`);
  return reading;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'virtual-clock-test-'));
  clock = new VirtualClock(path.join(dir, 'clock.json'));
  probe = spawnChild({
    name: 'clock-probe',
    command: process.execPath,
    args: [PROBE],
    env: { ...clock.env(), VIRTUAL_CLOCK_SKEW_MS: String(5 * MINUTE_MS) },
    logDir: path.join(dir, 'logs'),
  });
  await probe.waitForLine('stdout', (line) => (line.includes('"ready"') ? true : undefined), 'ready');
});

afterAll(async () => {
  await probe?.stop({ graceMs: 500 });
  rmSync(dir, { recursive: true, force: true });
});

describe('virtual-clock preload', () => {
  test('Date.now(), new Date() and Date() carry the skew from VIRTUAL_CLOCK_SKEW_MS', async () => {
    const reading = await read();
    expect(Math.abs(reading.dateNow - reading.real - 5 * MINUTE_MS)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(reading.newDate - reading.dateNow)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(Date.parse(reading.dateCall) - reading.dateNow)).toBeLessThan(TOLERANCE_MS);
    expect(reading.isDate).toBe(true);
  });

  test('dates built from an argument are left alone', async () => {
    const reading = await read();
    expect(reading.epochZero).toBe(0);
    expect(reading.parsed).toBe(Date.UTC(2020, 0, 1));
  });

  test('advancing the shared offset is seen at the next reading, without waiting', async () => {
    await clock.advanceBy(60 * MINUTE_MS);
    const reading = await read();
    expect(Math.abs(reading.dateNow - reading.real - 65 * MINUTE_MS)).toBeLessThan(TOLERANCE_MS);
    await clock.advanceBy(15 * MINUTE_MS);
    const later = await read();
    expect(Math.abs(later.newDate - later.real - 80 * MINUTE_MS)).toBeLessThan(TOLERANCE_MS);
  });

  test("a skew for this pid in the file adds to the offset; another pid's skew does not", async () => {
    clock.setSkew(probe.pid, -2 * MINUTE_MS);
    clock.setSkew(probe.pid + 1, 24 * 60 * MINUTE_MS);
    const reading = await read();
    expect(Math.abs(reading.dateNow - reading.real - 78 * MINUTE_MS)).toBeLessThan(TOLERANCE_MS);
    clock.clearSkews();
    const cleared = await read();
    expect(Math.abs(cleared.dateNow - cleared.real - 80 * MINUTE_MS)).toBeLessThan(TOLERANCE_MS);
  });
});
