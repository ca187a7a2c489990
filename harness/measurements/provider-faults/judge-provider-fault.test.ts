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

// Regression: on a GitHub server the replayed code's page relayed GitHub's own refusal (bad_verification_code), and the
// case failed only because its pattern knew Atlassian's vocabulary (invalid_grant).
test("a page that relays the provider's own answer says what happened, in that provider's words; one that does not still fails", () => {
  const replay = PROVIDER_FAULT_CASES.find((c) => c.id === 'code-replayed-at-token-endpoint')!;
  const github = { error: 'bad_verification_code', errorDescription: 'The code passed is incorrect or expired.' };
  const page = (message: string, providerAnswer?: ProviderFaultResult['providerAnswer']): ProviderFaultResult => ({ ...result({ status: 502, outcome: 'error', message, durationMs: 30 }), caseId: replay.id, ...(providerAnswer ? { providerAnswer } : {}) });
  expect(judgeFault(page('Token exchange failed: bad_verification_code: The code passed is incorrect or expired.', github), replay, 2000)).toMatchObject({ outcome: 'pass', problems: [] });
  expect(judgeFault(page('Sign-in failed. The code passed is incorrect or expired.', github), replay, 2000).outcome).toBe('pass');
  // Without the provider's answer on record, the same words are judged by the case's own pattern alone.
  expect(judgeFault(page('Token exchange failed: bad_verification_code'), replay, 2000).outcome).toBe('fail');
  // A page that hides what the provider said fails, and the problem names what would have counted.
  expect(judgeFault(page('Something went wrong. Please restart the authentication flow.', github), replay, 2000)).toMatchObject({ outcome: 'fail', problems: [expect.stringContaining("or the provider's own answer, bad_verification_code")] });
  // The code counts as a word, not inside another one.
  expect(judgeFault(page('error: not_bad_verification_codes', github), replay, 2000).outcome).toBe('fail');
});
