/** judgeFault on fixed answers: a failure is reported by the page, whatever the status code. */
import { expect, test } from 'vitest';
import { judgeFault } from './judge-provider-fault.ts';
import type { ProviderFaultResult } from './measure-provider-faults.ts';
import { PROVIDER_FAULT_CASES } from './provider-fault-cases.ts';

const fault = PROVIDER_FAULT_CASES.find((c) => c.id === 'token-endpoint-500')!;
const alive = { tool: true, callback: true, health: true, mcp: true } as const;
const result = (faulted: ProviderFaultResult['faulted']): ProviderFaultResult => ({ caseId: fault.id, store: 's', topology: 'split-process', knobs: {}, faulted, alive });

test('a failure page answered with 200 that names the fault passes; the same words on the success page fail', () => {
  expect(judgeFault(result({ status: 200, outcome: 'error', message: 'Sign-in failed: Atlassian answered 500', durationMs: 30 }), fault, 2000)).toMatchObject({ outcome: 'pass', problems: [] });
  expect(judgeFault(result({ status: 200, outcome: 'success', message: 'Connected (Atlassian answered 500)', durationMs: 30 }), fault, 2000)).toMatchObject({ outcome: 'fail', problems: [expect.stringContaining('success page')] });
});

test('a failure page that does not say what happened fails, whatever its status', () => {
  expect(judgeFault(result({ status: 502, outcome: 'error', message: 'Oops', durationMs: 30 }), fault, 2000).outcome).toBe('fail');
});

// Regression: a server that waits on a hung provider longer than the user agent was "unknown" (the harness's timeout), though the user saw no page at all.
test('no page before the user gave up, under a hung provider: a failure of the target (it hangs), not unknown', () => {
  const hang = PROVIDER_FAULT_CASES.find((c) => c.id === 'token-endpoint-hang')!;
  const judged = judgeFault({ ...result({ status: 0, outcome: 'no-response', message: 'no page within 9000 ms', durationMs: 9004 }), caseId: hang.id }, hang, 2000);
  expect(judged).toMatchObject({ outcome: 'fail', problems: expect.arrayContaining([expect.stringContaining('hangs')]) });
});
