/** claimC6 on fixed inputs: one line per verdict it can reach. */
import { describe, expect, test } from 'vitest';
import { claimC6 } from './claim-c6.ts';
import type { TtlProbe } from './flow-across.ts';
import type { TtlResult, TtlStoreResult } from './ttl-result.ts';

const MIN = 60_000;
const EXPIRED = 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.';
const REDEEMED = { readable: true, redemptions: 1, redeemedOk: 1 } as const;
const NOT_REDEEMED = { readable: true, redemptions: 0, redeemedOk: 0 } as const;
let flow = 0;
const ok = (advancedMs: number, callbackSkewMs = 0): TtlProbe => ({ flow: ++flow, advancedMs, toolSkewMs: 0, callbackSkewMs, started: true, callback: { outcome: 'success', status: 200, message: 'Authorization complete' }, handoff: 'ok', provider: REDEEMED });
const refused = (advancedMs: number, callbackSkewMs = 0, message = EXPIRED): TtlProbe => ({ flow: ++flow, advancedMs, toolSkewMs: 0, callbackSkewMs, started: true, callback: { outcome: 'invalid-state', status: 400, message }, provider: NOT_REDEEMED });
/** A server's own refusal page, matched by its target file's `callbackPage.refused`. */
const refusedInOwnWords = (advancedMs: number): TtlProbe => ({ flow: ++flow, advancedMs, toolSkewMs: 0, callbackSkewMs: 0, started: true, callback: { outcome: 'error', status: 200, message: 'OAuth session expired', refusedAs: 'expired' }, provider: NOT_REDEEMED });
/** What a process with a correct TTL on one clock would do: accept up to 15 min by the shared clock. */
const byShared = (at: number, skew: number) => (at <= 15 * MIN ? ok(at, skew) : refused(at, skew));

function storeResult(overrides: Partial<TtlStoreResult> = {}): TtlStoreResult {
  return {
    store: 'json-file',
    topology: 'split-process',
    processes: [],
    baseline: ok(0),
    boundary: { before: ok(14 * MIN + 59_000), after: refused(15 * MIN + 1_000) },
    skew: { applicable: true, cases: [2 * MIN, -2 * MIN].flatMap((skew) => [13, 14, 16].map((at) => byShared(at * MIN, skew))) },
    cleanup: { observable: false, reason: 'no file' },
    futureTimestamp: { aheadMs: 1440 * MIN, callbackAfter20Min: refused(20 * MIN), callbackPastTimestampPlusTtl: refused(1456 * MIN) },
    durationMs: 1,
    ...overrides,
  };
}

const result = (...stores: TtlStoreResult[]): TtlResult => ({ quick: true, ttlMs: 15 * MIN, expectedMessage: EXPIRED, stores });

/** The write-up's json-file as measured: the callback's own clock decides, future stamps live on. */
const measuredJsonFile = storeResult({
  skew: {
    applicable: true,
    cases: [
      ...[13, 14, 16].map((at) => refused(at * MIN, 2 * MIN)),
      ...[13, 14, 16].map((at) => ok(at * MIN, -2 * MIN)),
    ],
  },
  futureTimestamp: { aheadMs: 1440 * MIN, liveSessionSurvivedSkewedPut: false, heldAfter20Min: true, callbackAfter20Min: ok(20 * MIN), heldPastTimestampPlusTtl: false, callbackPastTimestampPlusTtl: refused(1456 * MIN) },
});

describe('claimC6', () => {
  test('holds when the boundary is right and neither skew nor a future stamp moves it', () => {
    expect(claimC6(result(storeResult()))).toMatchObject({ id: 'C6', verdict: 'holds', quick: true });
  });

  test('holds only under stated conditions when skew and a future stamp move the boundary, each stated', () => {
    const row = claimC6(result(measuredJsonFile));
    expect(row.verdict).toBe('holds only under stated conditions');
    expect(row.conditions).toContain("the tool and callback processes' clocks agree");
    expect(row.conditions).toContain('+2 min: refused at 13 min, refused at 14 min, so the TTL is in effect ≈ 13 min');
    expect(row.conditions).toContain('−2 min: accepted at 16 min, so the TTL is in effect ≈ 17 min');
    expect(row.conditions).toContain('one stamped 1 day ahead was still accepted 20 min later');
    expect(row.conditions).toContain('deleted the other live sessions');
  });

  test('does not hold when a callback at 15:01 is still accepted', () => {
    const late = storeResult({ boundary: { before: ok(14 * MIN + 59_000), after: ok(15 * MIN + 1_000) } });
    expect(claimC6(result(late)).verdict).toBe('does not hold');
  });

  test("a refusal in the server's own words is a refusal, quoted in the figure: the rule reads no one's text", () => {
    const own = storeResult({ boundary: { before: ok(14 * MIN + 59_000), after: refusedInOwnWords(15 * MIN + 1_000) } });
    const row = claimC6(result(own));
    expect(row.verdict).toBe('holds');
    expect(row.figure).toContain('json-file (split-process): 14:59 accepted, 15:01 refused "OAuth session expired" (its expired page)');
    const generic = storeResult({ boundary: { before: ok(14 * MIN + 59_000), after: refused(15 * MIN + 1_000, 0, 'HTTP 400: something else entirely') } });
    expect(claimC6(result(generic)).verdict).toBe('holds');
  });

  test('does not hold when 15:01 shows a refusal page but the code was redeemed at the provider', () => {
    const redeemedAnyway = { ...refusedInOwnWords(15 * MIN + 1_000), provider: REDEEMED };
    const row = claimC6(result(storeResult({ boundary: { before: ok(14 * MIN + 59_000), after: redeemedAnyway } })));
    expect(row.verdict).toBe('does not hold');
    expect(row.figure).toContain('15:01 accepted (its page said "OAuth session expired", but the code was redeemed at the provider (1×))');
  });

  test('unknown, never accepted, when 15:01 brought no page or the provider record could not be read', () => {
    const noPage: TtlProbe = { ...refused(15 * MIN + 1_000), callback: { outcome: 'no-response', message: 'socket hang up' } };
    const unreadable: TtlProbe = { ...refused(15 * MIN + 1_000), provider: { readable: false, why: 'mock atlassian admin GET /__mock/flows: HTTP 500' } };
    const notReached: TtlProbe = { ...refused(15 * MIN + 1_000), callback: undefined, provider: undefined };
    for (const after of [noPage, unreadable, notReached]) {
      const row = claimC6(result(storeResult({ boundary: { before: ok(14 * MIN + 59_000), after } })));
      expect(row.verdict, JSON.stringify(after)).toBe('unknown');
      expect(row.figure).toContain('15:01 unknown');
      expect(row.figure).not.toContain('15:01 accepted');
    }
  });

  test('a success page is acceptance even when the provider record is unreadable; a refusal page is not refusal then', () => {
    const before = { ...ok(14 * MIN + 59_000), provider: { readable: false, why: 'down' } } as const;
    expect(claimC6(result(storeResult({ boundary: { before, after: refused(15 * MIN + 1_000) } }))).verdict).toBe('holds');
  });

  test('does not hold when a callback at 14:59 is refused', () => {
    const early = storeResult({ boundary: { before: refused(14 * MIN + 59_000), after: refused(15 * MIN + 1_000) } });
    expect(claimC6(result(early)).verdict).toBe('does not hold');
  });

  test('unknown, with the reason, when the judged store was not measured or crashed', () => {
    expect(claimC6(result(storeResult({ store: 'memory' })))).toMatchObject({ verdict: 'unknown', conditions: 'store json-file was not measured' });
    expect(claimC6(result(storeResult({ error: 'callback did not start', boundary: undefined })))).toMatchObject({ verdict: 'unknown', conditions: 'callback did not start' });
  });

  test('another store can be judged by name, and the others ride along in the figure', () => {
    const row = claimC6(result(measuredJsonFile, storeResult({ store: 'memory', topology: 'single-process' })), 'memory');
    expect(row.verdict).toBe('holds');
    expect(row.figure).toContain('json-file (split-process)');
  });
});
