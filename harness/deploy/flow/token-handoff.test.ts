/**
 * Regression: the hand-off passed for any stored token, so after
 * the first success "5/5 tokens handed" proved only that one token arrived.
 * Now it passes only for the flow's own identity.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../core/history.ts';
import { judgeHandoff } from './token-handoff.ts';

let index = 0;
const op = (flow: number, f: string, type: Operation['type'], time: number, value?: unknown): Operation => ({ index: index++, flow, f, type, time, process: 'x', value });
const STATE_1 = 'F1-state-abcdefghijkl';
const STATE_2 = 'F2-state-abcdefghijkl';
const started = (flow: number, state: string, time: number) => [op(flow, 'start_oauth', 'invoke', time), op(flow, 'start_oauth', 'ok', time + 1, { state: state.slice(0, 12) })];
const callback = (flow: number, from: number, to: number) => [op(flow, 'callback', 'invoke', from), op(flow, 'callback', 'ok', to)];

describe('judgeHandoff', () => {
  it("passes only when the tool shows the flow's own identity", () => {
    expect(judgeHandoff(1, 'acct-1', ['acct-1', 'a1@x'], undefined, [])).toEqual({ kind: 'attributed', identity: 'acct-1' });
  });

  it('a lost token write fails even though an older token is still stored (the old check passed it)', () => {
    // Flow 1 completed long before flow 2 began; flow 2's token was dropped, so the tool still shows flow 1's sign-in.
    const history = [...started(1, STATE_1, 0), ...callback(1, 10, 20), ...started(2, STATE_2, 30), ...callback(2, 40, 50)];
    const verdict = judgeHandoff(2, 'acct-1', ['acct-2', 'a2@x'], STATE_1, history);
    expect(verdict.kind).toBe('failed');
    expect(verdict).toMatchObject({ why: expect.stringContaining("flow 1's sign-in") });
  });

  it('a newer overlapping flow that replaced the token is "superseded", not a pass of this flow and not a failure', () => {
    const history = [...started(1, STATE_1, 0), ...started(2, STATE_2, 1), ...callback(1, 10, 30), ...callback(2, 12, 20)];
    expect(judgeHandoff(1, 'acct-2', ['acct-1'], STATE_2, history)).toEqual({ kind: 'superseded', identity: 'acct-2', byFlow: 2 });
  });

  it("a newer flow whose callback is still in flight when this hand-off is judged is 'superseded': its token can be stored before its page arrives", () => {
    // Seen at 64 at once with redis: flow 2's callback had written its token, its page not yet back, when flow 1's whoami ran.
    const history = [...started(1, STATE_1, 0), ...started(2, STATE_2, 1), op(1, 'callback', 'invoke', 10), op(2, 'callback', 'invoke', 12), op(1, 'callback', 'ok', 20)];
    expect(judgeHandoff(1, 'acct-2', ['acct-1'], STATE_2, history)).toEqual({ kind: 'superseded', identity: 'acct-2', byFlow: 2 });
  });

  it('a flow whose callback never began cannot have replaced the token: failed', () => {
    const history = [...started(1, STATE_1, 0), ...started(2, STATE_2, 1), ...callback(1, 10, 20)];
    expect(judgeHandoff(1, 'acct-2', ['acct-1'], STATE_2, history).kind).toBe('failed');
  });

  it('an identity the provider never issued to any flow of the run fails', () => {
    expect(judgeHandoff(1, 'someone-else', ['acct-1'], undefined, []).kind).toBe('failed');
  });

  it('no identity in the answer fails; no provider record is "not observable", never a pass', () => {
    expect(judgeHandoff(1, undefined, ['acct-1'], undefined, []).kind).toBe('failed');
    expect(judgeHandoff(1, 'acct-1', undefined, undefined, []).kind).toBe('not-observable');
  });
});
