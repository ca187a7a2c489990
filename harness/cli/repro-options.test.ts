import { describe, expect, test } from 'vitest';
import { parseReproOptions, UsageError } from './repro-options.ts';

const known = { scenarios: ['split-process', 'isolated'], stores: ['memory', 'json-file'] };

describe('repro options', () => {
  test('defaults', () => {
    expect(parseReproOptions([], known)).toEqual({ targets: undefined, scenarios: undefined, stores: undefined, flows: undefined, parallel: 4, scenariosOnly: false, full: false, json: false, help: false });
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
  ])('%j is refused with a message naming the option', (argv, message) => {
    expect(() => parseReproOptions(argv, known)).toThrow(new UsageError(message));
  });
  test('an unknown option is a usage error', () => {
    expect(() => parseReproOptions(['--frobnicate'], known)).toThrow(UsageError);
  });
});
