/**
 * harness/measurements/concurrency/: C8, success rate by flows at once, and throughput.
 *
 * One measurement for both, because they are the same flows: every store's
 * split-process deployment at 1, 4, 16 and 64 flows at once, read as
 * success rates (C8, with its chart) and as flows/s against the ceiling
 * (the throughput chart, and the throughput targets). Then the forced races,
 * judged with the rates by claimC8; the races also give "Reliability and
 * security" rows, and both give every store's concurrency column.
 */
import { rowsGrade, type GradeCell } from '../grade-cell.ts';
import type { ReliabilityRow } from '../measure-context.ts';
import { defineMeasurement } from '../measurement.ts';
import { claimWithoutStore } from '../write-up-stores.ts';
import { measureRaces } from '../races/measure-races.ts';
import type { RaceResult } from '../races/race-outcome.ts';
import { raceRows } from '../races/race-rows.ts';
import { claimC8 } from './claim-c8.ts';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { successRateChart } from './success-rate-chart.ts';
import { FULL_LOAD_PLAN, measureLoad, QUICK_LOAD_PLAN, THROUGHPUT_TARGET_RATIO, type LoadPlan, type StoreThroughput } from './throughput.ts';
import { throughputChart } from './throughput-chart.ts';
import { measureDurableWrites, type DurableWrites } from './durable-writes.ts';

export interface C8Raw {
  concurrency: ConcurrencyResult;
  throughput: StoreThroughput[];
  races: RaceResult;
  /** The bench's: each rated store's sync calls per flow and their time, the bound they put on its rate. */
  durableWrites?: { results: DurableWrites[]; errors: string[] };
}

/** A store's throughput against its target, judged here so that the report only shows it. */
export interface ThroughputTarget {
  store: string;
  quick: boolean;
  medianFlowsPerSecond?: number;
  minFlowsPerSecond?: number;
  maxFlowsPerSecond?: number;
  ratioAt64?: number;
  lost: number;
  flows: number;
  doubleUsed?: number;
  /** At least THROUGHPUT_TARGET_RATIO of the ceiling with no flow lost and no code used twice; undefined when the ratio was not measured. */
  meets?: boolean;
  /** What durable writes cost its flows (the bench), and the rate they alone would allow against the ceiling at 64 at once. */
  durableWrites?: DurableWrites & { boundRatioAt64?: number };
}

declare module '../published-values.ts' {
  interface PublishedValues {
    'throughput-targets': ThroughputTarget[];
  }
}

export function throughputTargets(throughput: readonly StoreThroughput[], durableWrites: readonly DurableWrites[] = []): ThroughputTarget[] {
  return throughput.map((rate) => {
    const durable = durableWrites.find((d) => d.store === rate.store);
    const ceilingAt64 = rate.levels.find((level) => level.concurrency === 64)?.ceilingFlowsPerSecond;
    const boundRatioAt64 = durable?.boundFlowsPerSecond !== undefined && ceilingAt64 ? durable.boundFlowsPerSecond / ceilingAt64 : undefined;
    return {
    store: rate.store,
    quick: rate.quick,
    ...(rate.medianFlowsPerSecond === undefined ? {} : { medianFlowsPerSecond: rate.medianFlowsPerSecond, minFlowsPerSecond: rate.minFlowsPerSecond, maxFlowsPerSecond: rate.maxFlowsPerSecond }),
    ...(rate.ratioAt64 === undefined ? {} : { ratioAt64: rate.ratioAt64 }),
    lost: rate.lost,
    flows: rate.levels.reduce((sum, level) => sum + level.flows, 0),
    ...(rate.doubleUsed === undefined ? {} : { doubleUsed: rate.doubleUsed }),
    ...(rate.ratioAt64 === undefined ? {} : { meets: rate.ratioAt64 >= THROUGHPUT_TARGET_RATIO && rate.lost === 0 && (rate.doubleUsed ?? 0) === 0 }),
    ...(durable ? { durableWrites: { ...durable, ...(boundRatioAt64 === undefined ? {} : { boundRatioAt64 }) } } : {}),
    };
  });
}

/**
 * The concurrency column: every flow at the most flows at once completed,
 * and no forced race failed. A pass needs that level to have overlapped as
 * its name says (flows in flight together, callbacks among other flows'
 * starts): a load that never overlapped is no evidence of a store that
 * keeps up with one. A failure stands whatever the overlap.
 */
export function concurrencyCell(concurrency: ConcurrencyResult, raceRowsOfRun: readonly ReliabilityRow[], store: string): GradeCell {
  const levels = concurrency.stores.find((s) => s.store === store)?.levels;
  if (!levels || levels.length === 0) return { grade: 'not measured', detail: 'no concurrency measurement' };
  const top = levels[levels.length - 1]!;
  const races = rowsGrade(raceRowsOfRun, store);
  const overlap = top.overlap
    ? `${top.overlap.maxInFlight} in flight at most, ${top.overlap.callbacksDuringOtherStarts} callbacks among other starts`
    : 'overlap not measured';
  const detail = `${top.passed}/${top.flows} flows at ${top.concurrency} at once (${overlap}); forced races: ${races.detail}`;
  const allPassed = top.passed === top.flows;
  const count = { passed: top.passed + (races.count?.passed ?? 0), judged: top.flows + (races.count?.judged ?? 0), unit: 'flows and races' };
  if (!allPassed || races.grade === 'fail') return { grade: 'fail', detail, count };
  if (!top.overlap?.nominalReached) return { grade: 'not measured', detail: `${detail}; the load did not overlap as ${top.concurrency} at once, so its passes prove nothing` };
  return { grade: 'pass', detail, count };
}

const levelWords = (plan: LoadPlan, levels = plan.levels) => `${levels.map((l) => l.concurrency).join(', ')} at once (${levels.map((l) => l.flows.toLocaleString('en-US')).join(' / ')} flows per store)`;

export const c8Measurement = defineMeasurement({
  id: 'c8-success-rate',
  claimIds: ['C8'],
  evidence: {
    C8: {
      quick:
        "per store, the lost update and the double use forced with the write gate (held at the store's own session writes); " +
        `whole flows through two processes at ${levelWords(QUICK_LOAD_PLAN)}, n workers each running flows back to back, the overlap reached measured from the history`,
      benchAdds: `the load curve at ${levelWords(FULL_LOAD_PLAN)}, each level rated against the ceiling (throughput)`,
    },
  },
  columns: [{ name: 'concurrency', what: 'the concurrency measurement at the most flows at once and the forced races' }],
  async run(ctx): Promise<C8Raw> {
    // The quick run rates nothing, so the races (mostly waiting out a lock's deadline on their own
    // deployments) run beside the load; the bench keeps its rated load alone, as a rate must be.
    const [{ concurrency, throughput }, races] = ctx.quick
      ? await Promise.all([measureLoad(ctx), measureRaces(ctx)])
      : [await measureLoad(ctx), await measureRaces(ctx)];
    // A store short of the target: is it the disk? Its flows' sync calls, counted and timed (the bench's, as the rates are).
    const durableWrites = ctx.quick ? undefined : await measureDurableWrites(ctx, throughput.map((rate) => rate.store));
    return { concurrency, throughput, races, ...(durableWrites ? { durableWrites } : {}) };
  },
  check: (recorded: C8Raw, { stores, writeUp }) => {
    const rows = raceRows(recorded.races);
    return {
      claims: [writeUp.file ? claimC8(recorded.concurrency, recorded.races, writeUp.file) : claimWithoutStore('C8', '"100% success rate vs previous failures"', writeUp.why?.file, recorded.concurrency.quick)],
      rows,
      grades: { concurrency: Object.fromEntries(stores.map((store) => [store, concurrencyCell(recorded.concurrency, rows, store)])) },
      charts: [
        successRateChart(recorded.concurrency),
        ...(recorded.throughput.some((s) => s.levels.length > 0) ? [throughputChart(recorded.throughput, recorded.throughput[0]?.quick ?? true)] : []),
      ],
      published: { 'throughput-targets': throughputTargets(recorded.throughput, recorded.durableWrites?.results) },
    };
  },
});
