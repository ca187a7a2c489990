import { describe, expect, it } from 'vitest';
import { describeError, HarnessError } from './harness-error.ts';
import { withRetries } from './retry.ts';

describe('withRetries', () => {
  it('returns the first attempt that succeeds, telling each attempt its number', async () => {
    const seen: number[] = [];
    const value = await withRetries({ what: 'start', attempts: 3, backoffMs: 1 }, async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Error(`refused ${attempt}`);
      return 'up';
    });
    expect(value).toBe('up');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('after the last attempt throws a HarnessError with every cause', async () => {
    const failing = withRetries({ what: 'start sqlite × split-process', attempts: 2, backoffMs: 1 }, async (attempt) => {
      throw new TypeError('fetch failed', { cause: new Error(`ECONNREFUSED #${attempt}`) });
    });
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect(describeError(error)).toBe('start sqlite × split-process: failed 2 times (attempt 1: fetch failed ← ECONNREFUSED #1) ← fetch failed ← ECONNREFUSED #2');
  });

  it('does not retry an error the policy calls final', async () => {
    let attempts = 0;
    const final = new Error('bad option');
    await expect(
      withRetries({ what: 'x', attempts: 3, backoffMs: 1, isFinal: (e) => e === final }, async () => {
        attempts += 1;
        throw final;
      }),
    ).rejects.toBe(final);
    expect(attempts).toBe(1);
  });
});
