/**
 * C6 on a server that refuses an expired sign-in in its own words
 * (fixtures/targets/own-words: "OAuth session expired …", a page of its own,
 * named by its target file as `callbackPage.refused.expired`). Through its
 * real processes on the virtual clock: 14:59 is accepted, 15:01 refused, the
 * figure quotes the server's words, and the verdict is not "does not hold"
 * for want of the write-up's wording.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRunFolder } from '../../harness/core/run-folder.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { loadTarget } from '../../harness/deploy/target/load-target.ts';
import { claimC6 } from '../../harness/measurements/ttl-clock/claim-c6.ts';
import { measureTtl } from '../../harness/measurements/ttl-clock/measure-ttl.ts';
import { probeVerdict } from '../../harness/measurements/ttl-clock/probe-verdict.ts';
import type { TtlResult } from '../../harness/measurements/ttl-clock/ttl-result.ts';

const TARGET = fileURLToPath(new URL('../../fixtures/targets/own-words/target.ts', import.meta.url));
const STORE = 'json-sessions';
let mock: MockAtlassian;
let result: TtlResult;

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-own-words-c6');
  mock = await MockAtlassian.start(run.logDir);
  const target = await loadTarget(TARGET);
  result = await measureTtl({ run, mock, target, stores: [STORE], quick: true });
  expect(path.basename(path.dirname(target.source.file))).toBe('own-words');
}, 90_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test("the boundary: 14:59 accepted, 15:01 refused on the server's own expired page, no code redeemed", () => {
  const measured = result.stores[0]!;
  expect(measured.error).toBeUndefined();
  expect(measured.topology).toBe('split-process');
  const { before, after } = measured.boundary!;
  expect(probeVerdict(before)).toMatchObject({ kind: 'accepted' });
  expect(before.provider).toMatchObject({ readable: true, redeemedOk: 1 });
  expect(after.callback).toMatchObject({ outcome: 'error', status: 410, refusedAs: 'expired', message: 'OAuth session expired (sign-ins are valid for 15 minutes).' });
  expect(after.provider).toEqual({ readable: true, redemptions: 0, redeemedOk: 0 });
  expect(probeVerdict(after)).toEqual({ kind: 'refused', words: 'OAuth session expired (sign-ins are valid for 15 minutes).', refusedAs: 'expired' });
});

test("C6 reads the server's words: \"14:59 accepted, 15:01 refused\", quoted, and not 'does not hold'", () => {
  const row = claimC6(result, STORE);
  expect(row.figure).toContain(`${STORE} (split-process): 14:59 accepted, 15:01 refused "OAuth session expired (sign-ins are valid for 15 minutes)." (its expired page)`);
  expect(row.verdict).not.toBe('does not hold');
  expect(row.verdict).not.toBe('unknown');
  // This server refuses a session stamped a day ahead (and drops it from the file at the next put), so no future stamp outlives its TTL.
  expect(probeVerdict(result.stores[0]!.futureTimestamp!.callbackAfter20Min)).toMatchObject({ kind: 'refused' });
  console.info(`C6 on own-words: ${row.verdict}; ${row.figure}${row.conditions ? `; conditions: ${row.conditions}` : ''}`);
});
