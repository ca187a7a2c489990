import { MEASUREMENTS } from '../measurements/measurement-list.ts';
import { describe, expect, test } from 'vitest';
import { parseFailOn, parseReproOptions, USAGE, UsageError } from './repro-options.ts';

const known = { scenarios: ['split-process', 'isolated'], stores: ['memory', 'json-file'] };

describe('repro options', () => {
  test('defaults', () => {
    expect(parseReproOptions([], known)).toEqual({ targets: undefined, scenarios: undefined, stores: undefined, flows: undefined, parallel: 4, scenariosOnly: false, full: false, json: false, failOn: ['scenarios', 'claims', 'security', 'reliability', 'grading'], browser: false, noBrowser: false, noConformance: false, keep: false, updateBaseline: false, keepRuns: 10, maxHarnessErrors: 0, help: false });
  });
  test('--browser and --no-browser', () => {
    expect(parseReproOptions(['--browser'], known)).toMatchObject({ browser: true, noBrowser: false });
    expect(parseReproOptions(['--no-browser'], known)).toMatchObject({ browser: false, noBrowser: true });
    expect(() => parseReproOptions(['--browser', '--no-browser'], known)).toThrow('--browser and --no-browser ask for opposite things');
  });
  test('filters, flows and json', () => {
    expect(parseReproOptions(['--scenario', 'isolated', '--store', 'memory', '--flows', '20', '--json'], known)).toMatchObject({
      scenarios: ['isolated'],
      stores: ['memory'],
      flows: 20,
      json: true,
      scenariosOnly: true,
    });
  });
  test.each([
    [['--scenario', 'nope'], 'unknown --scenario "nope"; known: split-process, isolated'],
    [['--store', 'redis-ish'], 'unknown --store "redis-ish"; known: memory, json-file'],
    [['--flows', '0'], '--flows expects a whole number from 1 to 100000, got "0"'],
    [['--flows', 'ten'], '--flows expects a whole number from 1 to 100000, got "ten"'],
    [['--fail-on', 'hostile'], '--fail-on expects scenarios, claims, security, reliability, grading, all (comma-separated or repeated), got "hostile"'],
    [['--junit', ''], '--junit expects a file path, got ""'],
  ])('%j is refused with a message naming the option', (argv, message) => {
    expect(() => parseReproOptions(argv, known)).toThrow(new UsageError(message));
  });
  test('--fail-on: one group, a comma list, repeated, or all; --junit keeps its path', () => {
    expect(parseReproOptions(['--fail-on', 'security', '--junit', 'out.xml'], known)).toMatchObject({ failOn: ['security'], junit: 'out.xml' });
    expect(parseFailOn(['reliability,scenarios'])).toEqual(['scenarios', 'reliability']);
    expect(parseFailOn(['security', 'scenarios'])).toEqual(['scenarios', 'security']);
    expect(parseFailOn(['all'])).toEqual(['scenarios', 'claims', 'security', 'reliability', 'grading']);
  });
  test('an unknown option is a usage error', () => {
    expect(() => parseReproOptions(['--frobnicate'], known)).toThrow(UsageError);
  });
});

describe('--measurement', () => {
  const withMeasurements = { ...known, measurements: MEASUREMENTS.map((m) => m.id) };
  test('selects measurements and keeps them with --scenario', () => {
    expect(parseReproOptions(['--measurement', 'c8-success-rate', '--scenario', 'isolated'], withMeasurements)).toMatchObject({ measurements: ['c8-success-rate'], scenariosOnly: false });
  });
  test('an unknown id is refused, listing the known ones', () => {
    expect(() => parseReproOptions(['--measurement', 'speed'], withMeasurements)).toThrow(/unknown --measurement "speed"; known: topology-claims, /);
  });
  test('the usage text lists exactly the measurement ids', () => {
    const listed = /Measurement ids: ([^.]+)\./.exec(USAGE)![1]!.split(/,\s*/).map((id) => id.trim());
    expect(listed.sort()).toEqual(MEASUREMENTS.map((m) => m.id).sort());
  });
});
