/** The concurrency column passes a store only on a load that overlapped; a failure stands whatever the load. */
import { describe, expect, it } from 'vitest';
import type { ReliabilityRow } from '../measure-context.ts';
import { concurrencyCell } from './c8-measurement.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';

const overlap = (reached: boolean) => ({ windows: 128, maxInFlight: reached ? 64 : 64, medianInFlight: 50, callbacks: 128, callbacksDuringOtherStarts: reached ? 99 : 0, nominalReached: reached });
const result = (passed: number, reached?: boolean) =>
  ({ stores: [{ store: 'atomic-file', levels: [{ concurrency: 64, flows: 128, passed, ...(reached === undefined ? {} : { overlap: overlap(reached) }) }] }] }) as unknown as ConcurrencyResult;
const race: ReliabilityRow = { id: 'forced-lost-update', group: 'fault', what: '', perStore: { 'atomic-file': { outcome: 'pass', detail: '' } }, command: '' };

describe('concurrencyCell', () => {
  it('every flow passed on a load that overlapped: pass', () => {
    expect(concurrencyCell(result(128, true), [race], 'atomic-file')).toMatchObject({ grade: 'pass', detail: expect.stringContaining('64 in flight at most, 99 callbacks among other starts') });
  });

  it('every flow passed, but the starts all finished before the first callback: not measured, never a pass', () => {
    expect(concurrencyCell(result(128, false), [race], 'atomic-file')).toMatchObject({ grade: 'not measured', detail: expect.stringContaining('did not overlap') });
    expect(concurrencyCell(result(128), [race], 'atomic-file').grade).toBe('not measured');
  });

  it('a lost flow fails the store whatever the overlap', () => {
    expect(concurrencyCell(result(100, false), [race], 'atomic-file').grade).toBe('fail');
  });
});
