/**
 * Regression: a store absent from a scenario's expectation map
 * was silently not run, and the gate took the expected message from the
 * observation when a scenario declared none. Now every store is judged by
 * its reach, a store without a profile is an error, and a failure
 * expectation must declare its message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectationFor, NO_SHARED_DISK, PASSES, REJECTED_AS_INVALID_STATE } from './expectations.ts';
import { loadScenarios } from './load-scenarios.ts';
import type { Scenario } from './scenario.ts';

const scenario: Scenario = {
  name: 'isolated',
  description: 'two hosts',
  topology: 'isolated',
  workload: { flows: 1, concurrency: 1 },
  faultsBetweenStartAndCallback: [],
  expect: { process: REJECTED_AS_INVALID_STATE, host: NO_SHARED_DISK, hosts: PASSES, stores: { special: PASSES } },
};

describe('expectationFor', () => {
  it('derives the expectation from the store reach, so a new store needs no scenario edit', () => {
    expect(expectationFor(scenario, 'brand-new-file-store', { reach: 'host' })).toBe(NO_SHARED_DISK);
    expect(expectationFor(scenario, 'brand-new-server-store', { reach: 'hosts' })).toBe(PASSES);
  });

  it('a store named by the scenario takes its named expectation', () => {
    expect(expectationFor(scenario, 'special', { reach: 'process' })).toBe(PASSES);
  });

  it('a store the target does not describe is an error, not a silent gap', () => {
    expect(() => expectationFor(scenario, 'mystery', undefined)).toThrow(/store "mystery" has no profile/);
  });
});

describe('loadScenarios validation', () => {
  const made: string[] = [];
  afterAll(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const write = (body: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scenarios-'));
    made.push(dir);
    writeFileSync(path.join(dir, 'broken.ts'), `export default ${body};\n`);
    return dir;
  };
  const base = `name: 'broken', description: 'd', topology: 'split-process', workload: { flows: 1, concurrency: 1 }, faultsBetweenStartAndCallback: []`;

  it('a scenario missing an expectation for a reach is refused, naming the field', async () => {
    await expect(loadScenarios(write(`{ ${base}, expect: { process: { outcome: 'pass' }, host: { outcome: 'pass' } } }`))).rejects.toThrow(/scenarios\/broken\.ts: expect\.hosts/);
  });

  it('a failure expectation without the message the user must see is refused', async () => {
    await expect(
      loadScenarios(write(`{ ${base}, expect: { process: { outcome: 'fail', stage: 'state-lookup' }, host: { outcome: 'pass' }, hosts: { outcome: 'pass' } } }`)),
    ).rejects.toThrow(/expect\.process\.message/);
  });

  it('userAgent is http or browser; anything else is refused, naming the field', async () => {
    const passes = `expect: { process: { outcome: 'pass' }, host: { outcome: 'pass' }, hosts: { outcome: 'pass' } }`;
    const [loaded] = await loadScenarios(write(`{ ${base}, ${passes}, userAgent: 'browser' }`));
    expect(loaded?.userAgent).toBe('browser');
    await expect(loadScenarios(write(`{ ${base}, ${passes}, userAgent: 'firefox' }`))).rejects.toThrow(/scenarios\/broken\.ts: userAgent/);
  });
});
