/**
 * harness/measurements/ttl-clock/: C6 through a virtual clock: boundary, skew, cleanup, future stamps.
 *
 * C6, and every store's TTL column, from the same probes. The virtual
 * clock is preloaded into the processes: it needs a Node target.
 */
import type { GradeCell } from '../grade-cell.ts';
import { defineMeasurement } from '../measurement.ts';
import { claimWithoutStore } from '../write-up-stores.ts';
import { claimC6 } from './claim-c6.ts';
import { FULL_CLEANUP, QUICK_CLEANUP } from './ttl-cleanup.ts';
import { SKEWS_MS } from './ttl-skew.ts';
import { measureTtl } from './measure-ttl.ts';
import { judgeTtlColumn } from './ttl-column.ts';
import type { TtlResult } from './ttl-result.ts';

/** Every store's TTL cell, each judged on its own probes. */
export function ttlColumn(result: TtlResult, stores: readonly string[]): Record<string, GradeCell> {
  return Object.fromEntries(
    stores.map((store) => {
      const judged = judgeTtlColumn(result.stores.find((s) => s.store === store), result);
      const cell: GradeCell = { grade: judged.grade, detail: judged.detail, ...(judged.judged ? { count: { passed: judged.passed, judged: judged.judged, unit: 'probes' } } : {}) };
      return [store, cell];
    }),
  );
}

export const ttlMeasurement = defineMeasurement({
  id: 'c6-ttl',
  needs: ['node-runtime'],
  claimIds: ['C6'],
  evidence: {
    C6: {
      quick: `per store, a flow's callback at 14:59 and at 15:01 on a virtual clock (accepted or refused, and whether the provider saw the code redeemed), clocks skewed by ${SKEWS_MS.map((ms) => `${ms > 0 ? '+' : '−'}${Math.abs(ms) / 60_000} min`).join(' and ')}, a session stamped a day ahead, and cleanup over ${QUICK_CLEANUP.rounds} rounds of ${QUICK_CLEANUP.putsPerRound} sessions`,
      benchAdds: `cleanup over ${FULL_CLEANUP.rounds} rounds of ${FULL_CLEANUP.putsPerRound} sessions (the boundary and skew probes are the same)`,
    },
  },
  columns: [{ name: 'TTL', what: "each store's own C6 probes (counted in probes): the 15-minute boundary, skewed clocks, a session stamped ahead" }],
  run: (ctx) => measureTtl(ctx),
  check: (recorded: TtlResult, { stores, writeUp }) => ({
    claims: [writeUp.file ? claimC6(recorded, writeUp.file) : claimWithoutStore('C6', '"15min TTL"', writeUp.why?.file, recorded.quick)],
    grades: { TTL: ttlColumn(recorded, stores) },
  }),
});
