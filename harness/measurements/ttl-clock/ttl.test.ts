/**
 * C6 through real processes on the virtual clock: the 15-minute boundary,
 * the ±2 min skew between tool and callback processes, cleanup of expired
 * sessions and a session stamped a day ahead. json-file in split-process
 * (the write-up's case); memory in one process (split, it shares nothing).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { claimC6 } from './claim-c6.ts';
import { accepted } from './probe-verdict.ts';
import { measureTtl } from './measure-ttl.ts';
import type { TtlResult, TtlStoreResult } from './ttl-result.ts';
import { MINUTE_MS } from './virtual-clock.ts';

const EXPIRED = 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.';
let run: RunFolder;
let mock: MockAtlassian;
let result: TtlResult;

const store = (name: string): TtlStoreResult => {
  const found = result.stores.find((s) => s.store === name);
  expect(found?.error, `measurement error; logs in ${run.dir}`).toBeUndefined();
  return found!;
};

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-c6');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureTtl({ run, mock, target: defaultTarget, stores: ['json-file', 'memory'], quick: true });
}, 60_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

describe('C6 json-file, split-process', () => {
  test('a callback at 14:59 is accepted, at 15:01 refused with the exact expiry text', () => {
    const json = store('json-file');
    expect(json.topology).toBe('split-process');
    expect(json.boundary!.before).toMatchObject({ advancedMs: 14 * MINUTE_MS + 59_000, callback: { outcome: 'success' }, handoff: 'ok' });
    expect(json.boundary!.after).toMatchObject({ advancedMs: 15 * MINUTE_MS + 1_000, callback: { outcome: 'invalid-state', message: EXPIRED } });
  });

  test("callback clock 2 min ahead: refused at 13 min (15:00 by its clock) and 14 min; 2 min behind: accepted at 13, 14 and 16 min", () => {
    const skew = store('json-file').skew!;
    expect(skew.applicable).toBe(true);
    if (!skew.applicable) return;
    const outcome = (skewMs: number, atMin: number) => {
      const probe = skew.cases.find((c) => c.callbackSkewMs === skewMs && c.advancedMs === atMin * MINUTE_MS)!;
      return probe.callback?.outcome === 'invalid-state' ? probe.callback.message : probe.callback?.outcome;
    };
    expect([13, 14, 16].map((at) => outcome(2 * MINUTE_MS, at))).toEqual([EXPIRED, EXPIRED, EXPIRED]);
    expect([13, 14, 16].map((at) => outcome(-2 * MINUTE_MS, at))).toEqual(['success', 'success', 'success']);
  });

  test('cleanup on the next put removes every expired session, and the file does not grow round after round', () => {
    const cleanup = store('json-file').cleanup!;
    expect(cleanup.observable).toBe(true);
    if (!cleanup.observable) return;
    expect(cleanup.rounds.map((r) => r.sessionsInFile)).toEqual(cleanup.rounds.map((r) => r.puts));
    expect(cleanup.afterCleanupPut).toMatchObject({ expiredStillInFile: 0, freshInFile: true, sessionsInFile: 1 });
    expect(cleanup.afterCleanupPut.bytes).toBeLessThan(cleanup.rounds[0]!.bytes);
    // Until that put, the last round's expired sessions (PKCE verifiers included) stay on disk.
    expect(cleanup.beforeCleanupPut.expiredStillInFile).toBe(cleanup.rounds.at(-1)!.puts);
  });

  test('a session stamped a day ahead is still held and accepted 20 min later, and gone once the clock passes it by 16 min', () => {
    const future = store('json-file').futureTimestamp!;
    expect(future.heldAfter20Min).toBe(true);
    expect(future.callbackAfter20Min.callback?.outcome).toBe('success');
    expect(future.heldPastTimestampPlusTtl).toBe(false);
    expect(future.callbackPastTimestampPlusTtl.callback).toMatchObject({ outcome: 'invalid-state', message: EXPIRED });
    // The day-ahead process's cleanup judged every other session a day old.
    expect(future.liveSessionSurvivedSkewedPut).toBe(false);
  });
});

describe('C6 memory', () => {
  test('split-process shares nothing, so it is measured in one process: 14:59 accepted, 15:01 refused', () => {
    const memory = store('memory');
    expect(memory.topology).toBe('single-process');
    expect(memory.topologyReason).toContain(EXPIRED);
    expect(accepted(memory.boundary!.before)).toBe(true);
    expect(memory.boundary!.after.callback).toMatchObject({ outcome: 'invalid-state', message: EXPIRED });
    expect(memory.skew).toEqual({ applicable: false, reason: expect.stringContaining('one process') });
  });
});

test('claimC6 on this run: holds only under stated conditions (skew and future timestamps)', () => {
  const row = claimC6(result);
  expect(row.verdict).toBe('holds only under stated conditions');
  expect(row.conditions).toContain("clocks agree");
  expect(row.conditions).toContain('ahead');
});
