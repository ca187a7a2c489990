/**
 * The TTL column per store, from that store's own probes. A store whose
 * expiry no process's clock can move passes; one whose TTL moves with the
 * skew between the tool and callback processes is conditional, with why.
 */
import { describe, expect, test } from 'vitest';
import type { TtlProbe } from './flow-across.ts';
import type { TtlStoreResult } from './ttl-result.ts';
import { judgeTtlColumn } from './ttl-column.ts';

const MIN = 60_000;
const TTL = { ttlMs: 15 * MIN, expectedMessage: 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.' };
let flow = 0;
const probe = (advancedMs: number, isAccepted: boolean, callbackSkewMs = 0): TtlProbe => ({
  flow: ++flow,
  advancedMs,
  toolSkewMs: 0,
  callbackSkewMs,
  started: true,
  callback: isAccepted ? { outcome: 'success', status: 200, message: 'Authorization complete' } : { outcome: 'invalid-state', status: 400, message: TTL.expectedMessage },
  // What the provider saw of the flow's code: redeemed once when the server went ahead, never when it refused.
  provider: { readable: true, redemptions: isAccepted ? 1 : 0, redeemedOk: isAccepted ? 1 : 0 },
});

/** Skew probes at 13, 14 and 16 min with the callback clock ±2 min, answered by `decide(advancedMs, skew)`. */
const skewCases = (decide: (advancedMs: number, skew: number) => boolean) =>
  [2 * MIN, -2 * MIN].flatMap((skew) => [13 * MIN, 14 * MIN, 16 * MIN].map((at) => probe(at, decide(at, skew), skew)));

const store = (name: string, skew: TtlProbe[], futureAccepted = false): TtlStoreResult => ({
  store: name,
  topology: 'split-process',
  processes: [],
  boundary: { before: probe(15 * MIN - 1000, true), after: probe(15 * MIN + 1000, false) },
  skew: { applicable: true, cases: skew },
  futureTimestamp: { aheadMs: 24 * 60 * MIN, callbackAfter20Min: probe(20 * MIN, futureAccepted), callbackPastTimestampPlusTtl: probe(16 * MIN, false) },
  durationMs: 1,
});

describe('judgeTtlColumn', () => {
  test('one clock decides (the skew moves nothing, a future stamp expires on time) → pass, with the probes counted', () => {
    const judged = judgeTtlColumn(store('redis', skewCases((at) => at <= 15 * MIN)), TTL);
    expect(judged).toMatchObject({ grade: 'pass', passed: 9, judged: 9 });
    expect(judged.detail).toContain('did not move the TTL');
  });

  test("the callback's own clock decides (age = its clock − the tool's stamp) → conditional, saying how far the TTL moved", () => {
    const judged = judgeTtlColumn(store('sqlite', skewCases((at, skew) => at + skew <= 15 * MIN)), TTL);
    expect(judged.grade).toBe('conditional');
    expect(judged).toMatchObject({ passed: 7, judged: 9 });
    expect(judged.detail).toContain("the tool and callback processes' clocks agree (callback clock +2 min: refused at 14 min, TTL in effect ≈ 13 min; −2 min: accepted at 16 min, TTL in effect ≈ 17 min)");
  });

  test('a session stamped a day ahead still accepted 20 min later → conditional', () => {
    const judged = judgeTtlColumn(store('json-file', skewCases((at) => at <= 15 * MIN), true), TTL);
    expect(judged).toMatchObject({ grade: 'conditional', detail: expect.stringContaining('no process stores a session with its clock ahead') });
  });

  test('the boundary itself wrong (15:01 accepted) → fail', () => {
    const broken = { ...store('x', []), boundary: { before: probe(15 * MIN - 1000, true), after: probe(15 * MIN + 1000, true) } };
    expect(judgeTtlColumn(broken, TTL)).toMatchObject({ grade: 'fail', detail: expect.stringContaining('the boundary is wrong') });
  });

  test('no result, or a crashed measurement → not measured', () => {
    expect(judgeTtlColumn(undefined, TTL).grade).toBe('not measured');
    expect(judgeTtlColumn({ store: 'x', processes: [], error: 'boom', durationMs: 1 }, TTL)).toMatchObject({ grade: 'not measured', detail: 'boom' });
  });
});

// Regression: the column required src/'s exact invalid-state message, so a server that refuses expiry with its own page failed it.
describe('the boundary judged on what any server shows', () => {
  const base = store('own-words', skewCases((at) => at <= 15 * MIN));
  const expiredPage = { outcome: 'error', status: 410, message: 'OAuth session expired (sign-ins are valid for 15 minutes).', refusedAs: 'expired' };
  const withAfter = (after: Partial<TtlProbe>): TtlStoreResult => ({ ...base, boundary: { before: base.boundary!.before, after: { ...base.boundary!.after, ...after } } });

  test("refused in the server's own words, and no code redeemed: the boundary is right", () => {
    const judged = judgeTtlColumn(withAfter({ callback: expiredPage, provider: { readable: true, redemptions: 0, redeemedOk: 0 } }), TTL);
    expect(judged.grade).toBe('pass');
  });

  test('a refusal page after the code was redeemed is an acceptance: the boundary is wrong', () => {
    const judged = judgeTtlColumn(withAfter({ callback: expiredPage, provider: { readable: true, redemptions: 1, redeemedOk: 1 } }), TTL);
    expect(judged).toMatchObject({ grade: 'fail', detail: expect.stringContaining('the boundary is wrong') });
  });

  test("a probe that cannot be told (the provider's record unreadable) is not measured, never taken for a refusal", () => {
    const judged = judgeTtlColumn(withAfter({ callback: expiredPage, provider: { readable: false, why: 'mock down' } }), TTL);
    expect(judged).toMatchObject({ grade: 'not measured', detail: expect.stringContaining('could not be told') });
  });
});
