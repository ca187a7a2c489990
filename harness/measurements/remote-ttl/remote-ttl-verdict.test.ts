/**
 * C6 across replicas, judged from hand-written probes: the 14:59 / 15:01
 * boundary either way, and every probe that cannot tell (a baseline that
 * broke, a clock that never moved, a flow too slow in real time) unknown
 * with why, never a pass.
 */
import { describe, expect, it } from 'vitest';
import type { FlowOutcome } from '../../core/remote-vocabulary.ts';
import { JUST_AFTER_MS, JUST_BEFORE_MS, TTL_MS } from '../ttl-clock/ttl-boundary.ts';
import type { RemoteTtlProbe, RemoteTtlStore } from './remote-ttl-result.ts';
import { judgeRemoteTtl, readProbe } from './remote-ttl-verdict.ts';

const completed: FlowOutcome = { outcome: 'completed' };
const refusedAtCallback: FlowOutcome = { outcome: 'broken', lost: 'authorize-state', hop: 6, kind: 'provider-callback', status: 400, replica: 'b', createdOn: 'a' };
const lostRegistration: FlowOutcome = { outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'a', createdOn: 'b' };

const accepted = (advanceMs: number): RemoteTtlProbe => ({ advanceMs, clockMoved: advanceMs > 0, realSpanMs: 40, outcome: completed, madeOn: 'a', callback: { status: 302, replica: 'b' } });
const refused = (advanceMs: number): RemoteTtlProbe => ({ advanceMs, clockMoved: advanceMs > 0, realSpanMs: 40, outcome: refusedAtCallback, madeOn: 'a', callback: { status: 400, replica: 'b' } });
const store = (before: RemoteTtlProbe, after: RemoteTtlProbe, baseline = accepted(0)): RemoteTtlStore => ({ store: 'json-file', baseline, before, after });
const verdict = (s: RemoteTtlStore) => judgeRemoteTtl(s, TTL_MS);

describe('C6 across replicas, one store', () => {
  it('holds when 14:59 completes and 15:01 is refused at the provider callback, naming the replicas', () => {
    expect(verdict(store(accepted(JUST_BEFORE_MS), refused(JUST_AFTER_MS)))).toEqual({
      verdict: 'holds',
      figure: 'baseline: completed (made on a, looked up on b); 14:59: completed (made on a, looked up on b); 15:01: refused at the provider callback (400) (made on a, looked up on b)',
    });
  });

  it('does not hold when 15:01 is accepted, even if the flow broke later', () => {
    expect(verdict(store(accepted(JUST_BEFORE_MS), accepted(JUST_AFTER_MS)))).toMatchObject({ verdict: 'does not hold', why: 'accepted at 15:01: the pending authorization outlived its 15 min' });
    const acceptedThenBroke: RemoteTtlProbe = { ...accepted(JUST_AFTER_MS), outcome: { outcome: 'broken', lost: 'code', hop: 8, kind: 'token', status: 400 } };
    expect(verdict(store(accepted(JUST_BEFORE_MS), acceptedThenBroke)).verdict).toBe('does not hold');
  });

  it('does not hold when 14:59 is refused', () => {
    expect(verdict(store(refused(JUST_BEFORE_MS), refused(JUST_AFTER_MS)))).toMatchObject({ verdict: 'does not hold', why: 'refused at 14:59, before its 15 min' });
  });

  it('is unknown when the baseline did not complete: the store cannot complete a flow through these replicas at all', () => {
    const memory = store({ ...refused(JUST_BEFORE_MS), outcome: lostRegistration, clockMoved: false }, { ...refused(JUST_AFTER_MS), outcome: lostRegistration, clockMoved: false }, { ...accepted(0), outcome: lostRegistration });
    expect(verdict(memory)).toMatchObject({ verdict: 'unknown', why: 'the baseline flow (no clock move) did not complete, so no flow of this store could show the TTL: it broke at the authorize hop (lost registration, 400 on a)' });
  });

  it('is unknown when a probe never moved the clock or never came back from the provider', () => {
    const neverMoved: RemoteTtlProbe = { advanceMs: JUST_AFTER_MS, clockMoved: false, outcome: lostRegistration };
    expect(verdict(store(accepted(JUST_BEFORE_MS), neverMoved))).toMatchObject({ verdict: 'unknown', why: expect.stringContaining('15:01: the flow never reached the provider') });
    const noAnswer: RemoteTtlProbe = { ...refused(JUST_AFTER_MS), callback: { replica: 'b' }, outcome: { outcome: 'broken', lost: 'other', hop: 6, kind: 'provider-callback' } };
    expect(readProbe(noAnswer)).toMatchObject({ kind: 'unknown' });
    expect(verdict(store(accepted(JUST_BEFORE_MS), noAnswer)).verdict).toBe('unknown');
  });

  it('is unknown when 14:59 was accepted but the flow broke elsewhere later: not the TTL', () => {
    const laterBreak: RemoteTtlProbe = { ...accepted(JUST_BEFORE_MS), outcome: { outcome: 'broken', lost: 'session', hop: 12, kind: 'other', status: 404 } };
    expect(verdict(store(laterBreak, refused(JUST_AFTER_MS)))).toMatchObject({ verdict: 'unknown', why: expect.stringMatching(/^accepted at 14:59, then the flow broke at the other hop/) });
  });

  it('is unknown when the 14:59 flow was slow enough in real time for its state to pass 15:00', () => {
    const slow = { ...refused(JUST_BEFORE_MS), realSpanMs: 1_000 };
    expect(verdict(store(slow, refused(JUST_AFTER_MS)))).toMatchObject({ verdict: 'unknown', why: expect.stringContaining('took 1000 ms in real time') });
    expect(verdict(store({ ...accepted(JUST_BEFORE_MS), realSpanMs: 999 }, refused(JUST_AFTER_MS))).verdict).toBe('holds');
  });

  it('is unknown after a harness failure or a missing probe', () => {
    expect(verdict({ store: 'redis', harnessError: 'haproxy would not start' })).toMatchObject({ verdict: 'unknown', why: 'the harness failed: haproxy would not start' });
    expect(verdict({ store: 'redis', baseline: accepted(0) })).toMatchObject({ verdict: 'unknown', why: 'not every probe ran' });
  });
});
