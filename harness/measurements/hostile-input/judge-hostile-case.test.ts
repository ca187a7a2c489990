/** judgeCase on fixed answers: refusal judged on what any server shows, never on its status code or wording. */
import { describe, expect, test } from 'vitest';
import { judgeCase } from './judge-hostile-case.ts';
import type { HostileCaseResult } from './measure-hostile-input.ts';
import { carriedStates, providerEffect } from './provider-redemptions.ts';

const STATE = 'A'.repeat(43);
const answer = (over: Partial<HostileCaseResult> = {}): HostileCaseResult => ({
  caseId: '400-invalid-state/forged-state',
  method: 'GET',
  template: '/oauth/callback?code=hostile-code&state={forged}',
  target: '"/cb?code=hostile-code&state=x"',
  targetBytes: 30,
  expectedStatus: 400,
  expectedOutcome: 'invalid-state',
  status: 400,
  message: 'Sign-in failed',
  page: { outcome: 'error' },
  provider: { readable: true, statesKnown: 0, newRedemptions: 0, detail: 'no state it carried was issued by the provider' },
  bodyBytes: 100,
  durationMs: 1,
  findings: [],
  callbackAlive: true,
  healthOk: true,
  toolAlive: true,
  ...over,
});

describe('judgeCase', () => {
  test("a refusal page is a pass whatever its status and words (a server that answers 200 for every page)", () => {
    expect(judgeCase(answer({ status: 200, message: 'Something went wrong' }))).toEqual({ outcome: 'pass', problems: [] });
    expect(judgeCase(answer({ status: 502 })).outcome).toBe('pass');
  });

  test("the target's success page is an acceptance: fail", () => {
    expect(judgeCase(answer({ status: 200, page: { outcome: 'success' } }))).toMatchObject({ outcome: 'fail', problems: [expect.stringContaining('accepted')] });
  });

  test('a redemption at the provider during the case fails it, whatever the page said', () => {
    const redeemed = providerEffect({ readable: true, byState: { [STATE]: 1 } }, { readable: true, byState: { [STATE]: 2 } });
    expect(judgeCase(answer({ provider: redeemed }))).toMatchObject({ outcome: 'fail', problems: [expect.stringContaining('1 → 2 redemptions')] });
  });

  test('an unreadable provider record makes an otherwise clean case unknown, never a pass; a failure found anyway stays a failure', () => {
    const unreadable = { readable: false, why: 'HTTP 500' } as const;
    expect(judgeCase(answer({ provider: unreadable }))).toMatchObject({ outcome: 'unknown' });
    expect(judgeCase(answer({ provider: unreadable, findings: [{ kind: 'new-tag', detail: '<img>' }] })).outcome).toBe('fail');
  });

  test('no answer, a dead process or a raw echo fail', () => {
    expect(judgeCase(answer({ status: null, error: 'timeout' })).outcome).toBe('fail');
    expect(judgeCase(answer({ callbackAlive: false })).outcome).toBe('fail');
    expect(judgeCase(answer({ findings: [{ kind: 'event-handler', detail: 'onerror' }] })).outcome).toBe('fail');
  });
});

describe('carriedStates', () => {
  test('state-shaped values of any parameter, in the query and the form body; not the fragment, not short or odd values', () => {
    // Any value that could be a state is looked up (a value the provider never issued has no record): 'hostile-code' too.
    expect(carriedStates(`/cb?code=hostile-code&state=${STATE}&STATE=${STATE}x#state=${'B'.repeat(43)}`, `state=${'C'.repeat(43)}`)).toEqual(['hostile-code', STATE, `${STATE}x`, 'C'.repeat(43)]);
    // A weak 8-byte state (11 characters) is still a state.
    expect(carriedStates('/cb?state=AbCdEfGhIjK')).toEqual(['AbCdEfGhIjK']);
    expect(carriedStates(`/cb?state=${STATE}%00&state=abc`)).toEqual([]);
  });
});
