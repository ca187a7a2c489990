import { describe, expect, it } from 'vitest';
import { causeChain, describeError, HarnessError } from './harness-error.ts';

describe('describeError', () => {
  it('reads fetch failed down to its cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:41234'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: refused });
    expect(describeError(new HarnessError('start memory × split-process', { cause: fetchFailed }))).toBe(
      'start memory × split-process ← fetch failed ← connect ECONNREFUSED 127.0.0.1:41234',
    );
  });

  it('keeps a multi-line message on one line', () => {
    expect(describeError(new Error('tool exited\n  | Error: boom'))).toBe('tool exited | Error: boom');
  });

  it('names the reasons an AggregateError carries', () => {
    expect(describeError(new AggregateError([new Error('ECONNREFUSED ::1'), new Error('ECONNREFUSED 127.0.0.1')], ''))).toBe('AggregateError [ECONNREFUSED ::1; ECONNREFUSED 127.0.0.1]');
  });

  it('stops at a cycle and drops a wrapper that only repeats its cause', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(b)).toEqual(['b', 'a']);
    expect(causeChain(new Error('x: boom', { cause: new Error('boom') }))).toEqual(['x: boom']);
  });

  it('describes what was thrown when it is not an Error', () => {
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ code: 7 })).toBe('{"code":7}');
  });
});
