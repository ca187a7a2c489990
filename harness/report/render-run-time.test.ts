import { describe, expect, test } from 'vitest';
import type { MeasurementRecord } from '../measurements/measurement.ts';
import { phasesLine, ranBeside, renderRunTime } from './render-run-time.ts';

const record = (id: string, startMs: number | undefined, durationMs: number, extra: Partial<MeasurementRecord> = {}): MeasurementRecord => ({
  id,
  durationMs,
  quick: true,
  ...(startMs === undefined ? {} : { startMs }),
  ...extra,
});

// The shape of a default run: one timing-sensitive measurement alone, then two at a time.
const bench = record('store-bench', 0, 14_800);
const faults = record('store-faults', 14_800, 60_900);
const load = record('c8-success-rate', 14_800, 31_600);
const hostile = record('hostile-provider-security', 46_400, 22_600);
const notApplicable = record('src-default-store', 46_400, 0, { notApplicable: 'the target names no default store' });
const measurements = [bench, faults, load, hostile, notApplicable];
const phases = { setupMs: 3_100, tableMs: 25_000, measurementsMs: 75_700, teardownMs: 400 };
const cells = Array.from({ length: 24 }, () => ({}) as never);

describe('phasesLine', () => {
  test('names each phase with its seconds', () => {
    expect(phasesLine({ phases })).toBe('setup 3.1 s, table 25.0 s, measurements 75.7 s, teardown 0.4 s');
  });

  test('a run without measurements does not list them', () => {
    expect(phasesLine({ phases: { ...phases, measurementsMs: 0 } })).toBe('setup 3.1 s, table 25.0 s, teardown 0.4 s');
  });

  test('a document written before phases were recorded has no line', () => {
    expect(phasesLine({})).toBeUndefined();
  });
});

describe('ranBeside', () => {
  test('the measurements whose intervals intersect, and no other', () => {
    expect(ranBeside(faults, measurements)).toEqual(['c8-success-rate', 'hostile-provider-security']);
    expect(ranBeside(load, measurements)).toEqual(['store-faults']);
    // It ended when store-faults began: touching is not overlapping.
    expect(ranBeside(bench, measurements)).toEqual([]);
  });

  test('a measurement that did not run, or has no start, overlaps nothing', () => {
    expect(ranBeside(notApplicable, measurements)).toEqual([]);
    expect(ranBeside(record('old', undefined, 5_000), measurements)).toEqual([]);
  });
});

describe('renderRunTime', () => {
  const text = renderRunTime({ wallMs: 104_200, phases, cells, measurements }).join('\n');

  test('the phases, with the table\'s cell count', () => {
    expect(text).toContain("## Where this run's time went");
    expect(text).toMatch(/104\.2 s in all: setup 3\.1 s .*; the scenario table 25\.0 s \(24 cells, .*\); the measurements 75\.7 s; stopping what was left 0\.4 s\./);
  });

  test('one row per measurement in the order they started, with what ran beside it', () => {
    const rows = text.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| measurement'));
    expect(rows.map((row) => row.split(' | ')[0]!.slice(2))).toEqual(['store-bench', 'store-faults', 'c8-success-rate', 'hostile-provider-security', 'src-default-store']);
    expect(rows[0]).toBe('| store-bench | 0.0 | 14.8 s | alone | quick |');
    expect(rows[1]).toBe('| store-faults | 14.8 | 60.9 s | c8-success-rate, hostile-provider-security | quick |');
    expect(rows[4]).toBe('| src-default-store | – | – | – | not applicable to this target |');
  });

  test('says the quick versions are quick, and where the long ones are', () => {
    expect(text).toContain('`npm run bench` runs the long ones');
    const full = renderRunTime({ wallMs: 1, phases, cells, measurements: measurements.map((m) => ({ ...m, quick: false })) }).join('\n');
    expect(full).toContain('These are the long versions (`npm run bench`).');
    expect(full).toContain('| store-bench | 0.0 | 14.8 s | alone | long (bench) |');
  });

  test('a document written before phases and starts were recorded still renders, without inventing them', () => {
    const old = renderRunTime({ wallMs: 104_200, cells, measurements: [record('store-bench', undefined, 14_800)] }).join('\n');
    expect(old).toContain('104.2 s in all.');
    expect(old).toContain('| store-bench | – | 14.8 s | – | quick |');
  });

  test('a run with no measurements is one paragraph', () => {
    const tableOnly = renderRunTime({ wallMs: 26_800, phases: { ...phases, measurementsMs: 0 }, cells, measurements: [] });
    expect(tableOnly.join('\n')).not.toContain('| measurement');
    expect(tableOnly.join('\n')).not.toContain('the measurements');
  });
});
