/**
 * Gate: every case of fixtures/hostile-payloads/ against one real
 * split-process deployment with the json-file store (tool process, callback
 * process, mock Atlassian). Each case must get the 4xx its file names,
 * nothing may come back unescaped, both processes must survive, and flows
 * started before the battery must complete after it.
 *
 * Regression pinned here: states with C0/C1 controls, bidi overrides or
 * zero-width characters (state=%E2%80%AEtxt.exe…) used to be echoed raw into
 * the invalid-state page (src/callback-pages.ts echo()).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { createRunFolder } from '../../core/run-folder.ts';
import { defaultTarget } from '../../deploy/target/default-target.ts';
import { loadHostileCases } from './hostile-cases.ts';
import { hostileRows } from './hostile-rows.ts';
import { judgeCase } from './judge-hostile-case.ts';
import { measureHostileInput, type HostileInputResult } from './measure-hostile-input.ts';

const cases = loadHostileCases();
let mock: MockAtlassian;
let result: HostileInputResult;

beforeAll(async () => {
  const run = createRunFolder(undefined, 'gate-hostile');
  mock = await MockAtlassian.start(run.logDir);
  result = await measureHostileInput({ run, mock, target: defaultTarget, stores: ['json-file'], quick: true });
}, 30_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const battery = () => {
  expect(result.errors).toEqual([]);
  const found = result.batteries.find((b) => b.store === 'json-file' && b.topology === 'split-process');
  expect(found, 'json-file split-process battery').toBeDefined();
  return found!;
};

describe('hostile input at the callback × json-file (split-process)', () => {
  test.each(cases.map((c) => [c.id, c] as const))('%s', (_id, hostile) => {
    const answer = battery().cases.find((c) => c.caseId === hostile.id)!;
    expect(answer, 'case was fired').toBeDefined();
    expect(answer.status, `${answer.target}: ${answer.error ?? answer.message}`).toBe(hostile.expectedStatus);
    // src/ labels its pages; a parser-level rejection has no page and no label.
    if (answer.outcomeLabel !== undefined) expect(answer.outcomeLabel).toBe(hostile.expectedOutcome);
    expect(answer.findings).toEqual([]);
    expect(judgeCase(answer)).toEqual({ outcome: 'pass', problems: [] });
  });

  test('the control flow completed before the battery (the store works here)', () => {
    expect(battery().control).toMatchObject({ status: 200, outcome: 'success' });
  });

  test('flows started before the battery complete after it', () => {
    const { liveFlows } = battery();
    expect(liveFlows.length).toBeGreaterThan(0);
    for (const flow of liveFlows) expect(flow, flow.message).toMatchObject({ outcome: 'success', status: 200 });
  });

  test('both processes survive: pids alive, /health answers, the tool process answers MCP', () => {
    expect(battery().end).toEqual({ toolAlive: true, callbackAlive: true, healthOk: true, toolAnswersMcp: true });
  });

  test('the report rows say so', () => {
    const rows = hostileRows(result);
    // One per case, survival, intactness; then the two redemption rows, which are security's.
    expect(rows).toHaveLength(cases.length + 4);
    expect(rows.filter((row) => row.group === 'security').map((row) => row.id)).toEqual(['security/no-redemption-without-state', 'security/replay-neither-redeems-nor-revokes']);
    for (const row of rows) {
      expect(row.perStore['json-file']?.outcome, `${row.id}: ${row.perStore['json-file']?.detail}`).toBe('pass');
    }
    expect(rows.find((row) => row.id === 'security/replay-neither-redeems-nor-revokes')!.perStore['json-file']!.detail).toMatch(/^\d+ replayed callbacks carried a state the provider issued: no code redeemed, no user's tokens revoked$/);
  });
});
