/**
 * A remote cell's verdict from its flows' outcomes alone: a pass
 * expectation met only when every flow completed, a fail expectation only
 * when every flow broke at one of the hops it names, 'unknown' when a flow
 * ended on the harness's side or none ran; and the stable phrase the
 * baseline and the summary keep, which must not depend on which flow broke
 * first (a baseline would otherwise flap between runs).
 */
import { describe, expect, it } from 'vitest';
import type { FlowOutcome, LostState } from '../../deploy/remote/flow-outcome.ts';
import type { RemoteFlowRecord } from '../remote-cell-result.ts';
import type { RemoteExpectation } from '../remote-scenario.ts';
import { describeLost, describeRemoteObserved, remoteCellVerdict } from './remote-cell-verdict.ts';

const PASS: RemoteExpectation = { outcome: 'pass' };
const REGISTRATION: RemoteExpectation = { outcome: 'fail', lost: ['registration'], why: 'each replica keeps its own clients' };

const completed: FlowOutcome = { outcome: 'completed' };

/** A flow broken at `lost`, looked for on `replica`, made on `createdOn`. */
function broken(lost: LostState, replica: string, createdOn: string, hop = 4): FlowOutcome {
  const kind = lost === 'registration' ? 'authorize' : lost === 'authorize-state' ? 'provider-callback' : lost === 'code' ? 'token' : 'tool-call';
  return { outcome: 'broken', lost, hop, kind, status: 400, replica, createdOn, errorText: `${lost} not found` };
}

function flow(n: number, outcome: FlowOutcome, extra: Partial<RemoteFlowRecord> = {}): RemoteFlowRecord {
  return { flow: n, outcome, hops: 12, replicas: ['a', 'b'], durationMs: 250, userAgent: 'http', ...extra };
}

describe('remoteCellVerdict, a pass expectation', () => {
  it('every flow completed: matched, with nothing lost, no first break and no reason', () => {
    const verdict = remoteCellVerdict([flow(1, completed), flow(2, completed), flow(3, completed)], PASS);
    expect(verdict).toEqual({ completed: 3, lost: {}, matched: true });
    expect(verdict).not.toHaveProperty('firstBreak');
    expect(verdict).not.toHaveProperty('reason');
  });

  it('one flow broken: not matched, the reason counting the broken flows and naming what they lost', () => {
    const verdict = remoteCellVerdict([flow(1, completed), flow(2, broken('registration', 'b', 'a')), flow(3, completed)], PASS);
    expect(verdict.matched).toBe(false);
    expect(verdict.completed).toBe(2);
    expect(verdict.lost).toEqual({ registration: 1 });
    expect(verdict.reason).toBe('1 of 3 flows broke (registration ×1)');
    expect(verdict.firstBreak).toMatchObject({ flow: 2, lost: 'registration', replica: 'b', createdOn: 'a' });
  });
});

describe('remoteCellVerdict, a fail expectation', () => {
  it('every flow broken at the named hop: matched, the first break the first broken flow with its replica and where the state was made', () => {
    const flows = [flow(1, broken('registration', 'b', 'a', 4)), flow(2, broken('registration', 'a', 'b', 5)), flow(3, broken('registration', 'b', 'a', 6))];
    const verdict = remoteCellVerdict(flows, REGISTRATION);
    expect(verdict.matched).toBe(true);
    expect(verdict.reason).toBeUndefined();
    expect(verdict.completed).toBe(0);
    expect(verdict.lost).toEqual({ registration: 3 });
    expect(verdict.firstBreak).toEqual({ flow: 1, lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'b', createdOn: 'a', errorText: 'registration not found' });
  });

  it('the first break is the first flow that broke, not flow 1, when flow 1 ended otherwise', () => {
    // A fail expectation with one flow completed is not matched, yet the first break is still reported for the evidence.
    const verdict = remoteCellVerdict([flow(1, completed), flow(2, broken('registration', 'a', 'b', 7))], REGISTRATION);
    expect(verdict.firstBreak).toMatchObject({ flow: 2, hop: 7, replica: 'a', createdOn: 'b' });
  });

  it('one flow completed: not matched, the reason saying how many completed and where every flow was expected to break', () => {
    const verdict = remoteCellVerdict([flow(1, broken('registration', 'b', 'a')), flow(2, completed), flow(3, broken('registration', 'b', 'a'))], REGISTRATION);
    expect(verdict.matched).toBe(false);
    expect(verdict.completed).toBe(1);
    expect(verdict.reason).toBe('1 of 3 flows completed; expected every flow to break at registration');
  });

  it('a break at a hop the expectation does not name (code): not matched, the reason naming what was lost and what was expected', () => {
    const verdict = remoteCellVerdict([flow(1, broken('registration', 'b', 'a')), flow(2, broken('code', 'a', 'b')), flow(3, broken('registration', 'b', 'a'))], REGISTRATION);
    expect(verdict.matched).toBe(false);
    expect(verdict.lost).toEqual({ registration: 2, code: 1 });
    expect(verdict.reason).toBe('flows broke at registration ×2, code ×1; expected registration');
  });

  it('breaks spread over several of the hops the expectation names: matched', () => {
    const spread: RemoteExpectation = { outcome: 'fail', lost: ['registration', 'authorize-state', 'code', 'token'] };
    const verdict = remoteCellVerdict([flow(1, broken('code', 'a', 'b')), flow(2, broken('registration', 'b', 'a')), flow(3, broken('token', 'a', 'b'))], spread);
    expect(verdict.matched).toBe(true);
  });

  it('names every hop the expectation allows in its reason, joined with "or"', () => {
    const verdict = remoteCellVerdict([flow(1, completed)], { outcome: 'fail', lost: ['registration', 'code'] });
    expect(verdict.reason).toBe('1 of 1 flows completed; expected every flow to break at registration or code');
  });
});

describe('remoteCellVerdict, cells that cannot be judged', () => {
  it('a flow that ended on the harness\'s side makes the cell unknown, the reason naming the flow, why, and the client\'s error', () => {
    const flows = [flow(1, completed), flow(2, { outcome: 'incomplete', reason: 'no hop failed, and no tool call was answered (last hop: token)' }, { clientError: 'AbortError: the flow timed out' }), flow(3, completed)];
    const verdict = remoteCellVerdict(flows, PASS);
    expect(verdict.matched).toBe('unknown');
    expect(verdict.reason).toBe("flow 2 ended on the harness's side: no hop failed, and no tool call was answered (last hop: token) (AbortError: the flow timed out)");
    expect(verdict.completed).toBe(2);
  });

  it('an incomplete flow makes the cell unknown even where another flow broke and the expectation is a failure', () => {
    const verdict = remoteCellVerdict([flow(1, broken('registration', 'b', 'a')), flow(2, { outcome: 'incomplete', reason: 'no request was made' })], REGISTRATION);
    expect(verdict.matched).toBe('unknown');
    expect(verdict.reason).toBe("flow 2 ended on the harness's side: no request was made");
    // The break still counts as evidence.
    expect(verdict.lost).toEqual({ registration: 1 });
    expect(verdict.firstBreak).toMatchObject({ flow: 1 });
  });

  it('no flow at all is unknown, never a pass', () => {
    expect(remoteCellVerdict([], PASS)).toEqual({ completed: 0, lost: {}, matched: 'unknown', reason: 'no flow ran' });
    expect(remoteCellVerdict([], REGISTRATION).matched).toBe('unknown');
  });
});

describe('describeLost', () => {
  it('each kind with its count, in the order given', () => {
    expect(describeLost({ registration: 2, code: 1 })).toBe('registration ×2, code ×1');
  });

  it('nothing lost is the empty string', () => {
    expect(describeLost({})).toBe('');
  });
});

describe('describeRemoteObserved', () => {
  const cell = (completedFlows: number, total: number, lost: Partial<Record<LostState, number>>, harnessError?: string) => ({
    completed: completedFlows,
    flows: Array.from({ length: total }, (_, i) => flow(i + 1, i < completedFlows ? completed : broken('registration', 'b', 'a'))),
    lost,
    matched: true as const,
    ...(harnessError ? { harnessError } : {}),
  });

  it('every flow completed is "pass"', () => {
    expect(describeRemoteObserved(cell(3, 3, {}))).toBe('pass');
  });

  it('no flow completed is "fail at" what was lost, in the order a flow meets the states whichever flow broke first', () => {
    // authorize-state was seen first (its key comes first), yet registration comes first in a flow.
    expect(describeRemoteObserved(cell(0, 3, { 'authorize-state': 1, registration: 2 }))).toBe('fail at registration, authorize-state');
    expect(describeRemoteObserved(cell(0, 3, { registration: 2, 'authorize-state': 1 }))).toBe('fail at registration, authorize-state');
  });

  it('the same phrase from verdicts whose flows broke in the opposite order', () => {
    const expectation: RemoteExpectation = { outcome: 'fail', lost: ['registration', 'authorize-state'] };
    const one = [flow(1, broken('authorize-state', 'b', 'a')), flow(2, broken('registration', 'a', 'b'))];
    const other = [flow(1, broken('registration', 'a', 'b')), flow(2, broken('authorize-state', 'b', 'a'))];
    const observed = (flows: RemoteFlowRecord[]) => describeRemoteObserved({ ...remoteCellVerdict(flows, expectation), flows });
    expect(observed(one)).toBe('fail at registration, authorize-state');
    expect(observed(other)).toBe(observed(one));
  });

  it('some flows completed is "k/N completed, the rest fail at ..."', () => {
    expect(describeRemoteObserved(cell(2, 3, { code: 1 }))).toBe('2/3 completed, the rest fail at code');
    expect(describeRemoteObserved(cell(1, 4, { token: 1, registration: 2 }))).toBe('1/4 completed, the rest fail at registration, token');
  });

  it('flows neither completed nor broken (incomplete) are "k/N completed" with nothing after', () => {
    expect(describeRemoteObserved(cell(2, 3, {}))).toBe('2/3 completed');
  });

  it('a harness error is "harness error", whatever the flows did', () => {
    expect(describeRemoteObserved(cell(3, 3, {}, 'haproxy would not start'))).toBe('harness error');
    expect(describeRemoteObserved(cell(0, 0, {}, 'the deployment did not start'))).toBe('harness error');
  });

  it('no flow and no harness error is not a pass', () => {
    expect(describeRemoteObserved(cell(0, 0, {}))).toBe('0/0 completed');
  });
});

describe('remoteCellVerdict, an as-routed expectation (a session routed by something other than its maker)', () => {
  const AS_ROUTED: RemoteExpectation = { outcome: 'as-routed' };

  it('flows that strayed broke at session and flows that did not completed: matched, whatever the mix', () => {
    expect(remoteCellVerdict([flow(1, broken('session', 'b', 'a'), { sessionStrayed: true }), flow(2, completed), flow(3, completed)], AS_ROUTED).matched).toBe(true);
    expect(remoteCellVerdict([flow(1, completed), flow(2, completed)], AS_ROUTED).matched).toBe(true);
    expect(remoteCellVerdict([flow(1, broken('session', 'a', 'b'), { sessionStrayed: true })], AS_ROUTED).matched).toBe(true);
  });

  it('a flow that strayed and still completed (the session was shared after all): not matched, naming the flow', () => {
    const verdict = remoteCellVerdict([flow(1, completed), flow(2, completed, { sessionStrayed: true })], AS_ROUTED);
    expect(verdict.matched).toBe(false);
    expect(verdict.reason).toBe('flow 2: a request of its session reached another replica, yet it completed; expected it to break at session');
  });

  it('a flow that stayed on its replica and broke anyway, or strayed and broke elsewhere than at session: not matched', () => {
    expect(remoteCellVerdict([flow(1, broken('registration', 'b', 'a'))], AS_ROUTED)).toMatchObject({ matched: false, reason: 'flow 1: its session stayed on one replica, yet it broke at registration' });
    expect(remoteCellVerdict([flow(1, broken('token', 'b', 'a'), { sessionStrayed: true })], AS_ROUTED).matched).toBe(false);
  });
});
