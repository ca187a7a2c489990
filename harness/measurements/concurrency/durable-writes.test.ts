/**
 * The pure parts of the durable-write bound: strace's `-c` summary read for
 * sync calls, and the bound they put on flows per second.
 */
import { describe, expect, it } from 'vitest';
import { durableWriteBound, syncsOfSummary } from './durable-writes.ts';
import { throughputTargets } from './c8-measurement.ts';

const SUMMARY = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 91.20    0.021840         364        60           fsync
  8.80    0.002107          35        60         2 fdatasync
------ ----------- ----------- --------- --------- ----------------
100.00    0.023947         199       120         2 total
`;

describe('syncsOfSummary', () => {
  it('adds the calls and seconds of fsync and fdatasync, an errors column or not, and never the total', () => {
    const syncs = syncsOfSummary(SUMMARY);
    expect(syncs.calls).toBe(120);
    expect(syncs.seconds).toBeCloseTo(0.023947);
  });

  it('is 0 when strace saw no sync call (its summary is only the header and an empty total)', () => {
    expect(syncsOfSummary('% time     seconds  usecs/call     calls    errors syscall\n------ ----------- ----------- --------- --------- ----------------\n100.00    0.000000           0         0           total\n')).toEqual({ calls: 0, seconds: 0 });
  });

  it('refuses a row it cannot read rather than count it as none', () => {
    expect(() => syncsOfSummary(' 91.20    0.021840         364     many           fsync\n')).toThrow(/cannot read the calls/);
  });
});

describe('durableWriteBound', () => {
  it('is one over the durable writes of a flow done one after another', () => {
    expect(durableWriteBound(24)).toBeCloseTo(1000 / 24);
  });

  it('has no bound without a sync call', () => {
    expect(durableWriteBound(0)).toBeUndefined();
  });
});

describe('throughputTargets with the durable writes', () => {
  const level = (concurrency: number, ceiling: number) => ({ concurrency, flows: 10, passed: 10, durationMs: 1000, flowsPerSecond: ceiling / 2, ceilingRuns: [], ceilingFlowsPerSecond: ceiling, ratioToCeiling: 0.5 });
  const rate = { store: 'atomic-file', quick: false, topology: 'split-process' as const, bursts: [], levels: [level(1, 30), level(64, 80)], lost: 0, doubleUsed: 0, ratioAt64: 0.5 };

  it('rates the bound the syncs allow against the ceiling at 64 at once', () => {
    const [target] = throughputTargets([rate], [{ store: 'atomic-file', syncsPerFlow: 3, syncMsPerFlow: 25, flows: 20, boundFlowsPerSecond: 40 }]);
    expect(target!.meets).toBe(false);
    expect(target!.durableWrites).toMatchObject({ syncsPerFlow: 3, boundFlowsPerSecond: 40, boundRatioAt64: 0.5 });
  });

  it('says nothing of durable writes where they were not measured (the quick run)', () => {
    expect(throughputTargets([rate])[0]!.durableWrites).toBeUndefined();
  });
});
