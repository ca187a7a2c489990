/**
 * Gate: each provider fault against one real split-process deployment with
 * the json-file store. The user gets a message that names what happened,
 * nothing crashes, nothing hangs (the hang ends at the client's own
 * timeout), and the mock's knobs are back as they were afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian, type MockKnobs } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { judgeFault } from './judge-provider-fault.ts';
import { measureProviderFaults, type ProviderFaultsResult } from './measure-provider-faults.ts';
import { providerFaultRows } from './provider-fault-rows.ts';
import { PROVIDER_FAULT_CASES } from './provider-fault-cases.ts';

let mock: MockAtlassian;
let result: ProviderFaultsResult;
let knobsBefore: MockKnobs;
let knobsAfter: MockKnobs;

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-provider-faults');
  mock = await MockAtlassian.start(run.logDir);
  knobsBefore = await mock.setKnobs({});
  result = await measureProviderFaults({ run, mock, target: defaultTarget, stores: ['json-file'], quick: true });
  knobsAfter = await mock.setKnobs({});
}, 30_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const outcomeOf = (id: string) => {
  expect(result.errors).toEqual([]);
  const found = result.results.find((r) => r.caseId === id && r.store === 'json-file');
  expect(found, id).toBeDefined();
  return found!;
};

describe('provider faults × json-file (split-process)', () => {
  test.each(PROVIDER_FAULT_CASES.map((c) => [c.id, c] as const))('%s: a clear message, no crash, no hang', (_id, fault) => {
    const r = outcomeOf(fault.id);
    expect(r.error).toBeUndefined();
    expect(r.faulted, 'the callback answered').toBeDefined();
    if (fault.expectSuccess) {
      expect(r.faulted!.outcome).toBe('success');
    } else {
      expect(r.faulted!.status).toBeGreaterThanOrEqual(400);
      expect(r.faulted!.message).toMatch(fault.clearMessage);
    }
    expect(r.alive).toEqual({ tool: true, callback: true, health: true, mcp: true });
    expect(judgeFault(r, fault, result.httpTimeoutMs)).toMatchObject({ outcome: 'pass', problems: [] });
  });

  test('a hanging token endpoint ends at the client timeout, not later', () => {
    const r = outcomeOf('token-endpoint-hang');
    expect(r.faulted!.durationMs).toBeGreaterThanOrEqual(result.httpTimeoutMs - 50);
    expect(r.faulted!.durationMs).toBeLessThan(result.httpTimeoutMs + 3000);
  });

  test('consent denied does not consume the state: the same authorize URL works once consent is given', () => {
    expect(outcomeOf('consent-denied').retry).toMatchObject({ outcome: 'success', status: 200 });
  });

  test('every failed exchange is retried and its outcome recorded', () => {
    for (const fault of PROVIDER_FAULT_CASES.filter((c) => !c.expectSuccess)) {
      const r = outcomeOf(fault.id);
      expect(r.retry, fault.id).toBeDefined();
      expect(['success', 'invalid-state', 'error']).toContain(r.retry!.outcome);
    }
  });

  test('the knobs are restored', () => {
    expect(knobsAfter).toEqual(knobsBefore);
  });

  test('the report rows say so', () => {
    const rows = providerFaultRows(result);
    expect(rows.map((r) => r.id)).toEqual([...PROVIDER_FAULT_CASES.map((c) => `provider-fault/${c.id}`), 'provider-fault/state-survives-retry']);
    for (const row of rows.filter((r) => r.id !== 'provider-fault/state-survives-retry')) {
      expect(row.perStore['json-file']?.outcome, `${row.id}: ${row.perStore['json-file']?.detail}`).toBe('pass');
    }
    // A design choice, reported and not judged: never a pass.
    expect(rows.at(-1)!.perStore['json-file']?.outcome).toBe('recorded');
  });
});
