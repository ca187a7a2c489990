/**
 * Regression: "state survives a retry" was reported as
 * "recorded, not judged" yet counted as a pass for every store, whatever
 * happened. It is now 'recorded', and stays out of every tally.
 */
import { expect, test } from 'vitest';
import { tallyCases } from '../case-tally.ts';
import type { ProviderFaultResult, ProviderFaultsResult } from './measure-provider-faults.ts';
import { providerFaultRows } from './provider-fault-rows.ts';

const alive = { tool: true, callback: true, health: true, mcp: true } as const;
const visit = (outcome: string, status: number, message: string) => ({ status, outcome, message, durationMs: 40 });

function resultWith(results: ProviderFaultResult[]): ProviderFaultsResult {
  return {
    quick: true,
    httpTimeoutMs: 2000,
    stores: ['json-file', 'sqlite'],
    caseIds: ['token-endpoint-500'],
    placement: [],
    results,
    errors: [],
    durationMs: 1,
  } as unknown as ProviderFaultsResult;
}

const served = (store: string, retryOutcome: string): ProviderFaultResult =>
  ({
    caseId: 'token-endpoint-500',
    store,
    topology: 'split-process',
    knobs: {},
    faulted: visit('error', 502, 'Token exchange failed: server_error (HTTP 500)'),
    retry: { ...visit(retryOutcome, retryOutcome === 'success' ? 200 : 400, 'retry'), how: 'same callback URL' },
    alive,
  }) as unknown as ProviderFaultResult;

test('state-survives-retry is recorded, never a pass, whichever way the retry went', () => {
  const rows = providerFaultRows(resultWith([served('json-file', 'invalid-state'), served('sqlite', 'success')]));
  const survival = rows.find((row) => row.id === 'provider-fault/state-survives-retry')!;
  expect(survival.perStore['json-file']).toMatchObject({ outcome: 'recorded', detail: expect.stringContaining('consumed by the failed attempt: token-endpoint-500 (invalid-state)') });
  expect(survival.perStore.sqlite).toMatchObject({ outcome: 'recorded', detail: expect.stringContaining('state survived for a retry after: token-endpoint-500') });
  // Only the judged fault row counts.
  expect(tallyCases(rows, 'json-file')).toMatchObject({ passed: 1, judged: 1, recorded: 1 });
});

test('a store with no retry to make is n/a for the survival row, not unknown and not a pass', () => {
  const rows = providerFaultRows(resultWith([{ ...served('json-file', 'success'), retry: undefined }]));
  expect(rows.at(-1)!.perStore['json-file']!.outcome).toBe('n/a');
});
