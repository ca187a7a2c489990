/**
 * Complete flows per second through the real processes, as a ratio to a
 * ceiling measured in the same run: what a store adds, on any machine.
 *
 * The ceiling is the memory store in one process (nothing to share, nothing
 * on disk or on the wire), at the same number of flows at once. Each store
 * runs split-process (the write-up's case) at 1, 4, 16 and 64 flows at once.
 * At each level the ceiling runs a short burst (a fifth of the level's
 * flows) before the first store and after each one, and a store's ratio is
 * against the mean of the two bursts beside it: a machine whose load
 * changes during a level (this one is shared) moves both sides of each
 * ratio. Rated against one ceiling run before all the stores and one
 * after, minutes apart, atomic-file read ×0.47 in one bench and ×0.88 in
 * the next. Every deployment is up before the first flow, so no level pays
 * for a process start.
 *
 * n at once is n closed-loop workers, each running whole flows back to
 * back (start_oauth, authorize, callback, token hand-off), at least two
 * each: after the first round the workers are out of step, so one flow's
 * start_oauth lands among other flows' callbacks, and the store sees the
 * tool process's writes interleaved with the callback process's
 * read-modify-write. A single round would be all starts, then all
 * callbacks. How much the flows did overlap is measured from each level's
 * history (overlap.ts), and C8 reads it.
 *
 * Besides the rate: flows lost (did not complete) and authorizations
 * double-used (the mock saw the code of one authorization redeemed more
 * than once: its state was accepted twice).
 *
 * Two plans. The bench's (npm run bench) is the load curve: 1, 4, 16 and 64
 * at once, 10,000 flows at 64, each level rated against the ceiling. The
 * quick one (inside npm run repro) judges C8 only, so it runs no ceiling:
 * one flow at a time (a store that fails then fails C8 outright) and one
 * small level whose workers run three flows each, enough for its starts and
 * callbacks to interleave for real (its overlap is measured like the
 * bench's, and a level short of it leaves C8 unknown). Throughput is a
 * figure of the bench alone: a rate from two dozen flows says little.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '../../core/checkers/percentile.ts';
import { summariseFlows } from '../../core/checkers/flow-outcomes.ts';
import { History } from '../../core/history.ts';
import { inPool } from '../../core/in-pool.ts';
import type { TopologyName } from '../../core/topologies.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { completeFlow, startFlow } from '../../deploy/flow/drive-flow.ts';
import type { MockFlowRecord } from '../../deploy/services/mock-atlassian.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { ConcurrencyLevelResult, ConcurrencyResult } from './concurrency-result.ts';
import { levelResult } from './level-result.ts';
import { measureOverlap, reachedNominal } from './overlap.ts';

/** One timed run of flows at one level. */
export interface ThroughputRun {
  concurrency: number;
  flows: number;
  passed: number;
  durationMs: number;
  flowsPerSecond: number;
}

export interface ThroughputLevel extends ThroughputRun {
  /** The ceiling's bursts beside this store's run at this level: the one just before it and the one just after. */
  ceilingRuns: ThroughputRun[];
  /** Mean of those two bursts (flows/s). */
  ceilingFlowsPerSecond?: number;
  /** flowsPerSecond / ceilingFlowsPerSecond. */
  ratioToCeiling?: number;
}

export interface StoreThroughput {
  store: string;
  /** The quick plan (inside npm run repro) or the full one (npm run bench). */
  quick: boolean;
  topology: TopologyName;
  /** The 64-at-once runs (kept under this name for readers of the older shape). */
  bursts: { flows: number; passed: number; durationMs: number; flowsPerSecond: number }[];
  medianFlowsPerSecond?: number;
  minFlowsPerSecond?: number;
  maxFlowsPerSecond?: number;
  /** One entry per level of flows at once, with the ceiling beside it. */
  levels: ThroughputLevel[];
  /** Flows of every level that did not complete. */
  lost: number;
  /** Authorizations whose code the mock saw redeemed more than once; undefined when the mock's evidence could not be read. */
  doubleUsed?: number;
  /** The ratio at 64 at once. */
  ratioAt64?: number;
  error?: string;
}

/** The ceiling's shape, named in the raw data so a reader knows what 1.0 is. */
export const THROUGHPUT_CEILING = { store: 'memory', topology: 'single-process' as const };

/** What one run of the load measures: flows per level (in order of flows at once), and whether the stores are rated against the ceiling. */
export interface LoadPlan {
  levels: readonly { concurrency: number; flows: number }[];
  /** Run the ceiling at every level and rate each store against it (throughput). */
  rated: boolean;
}

/**
 * The bench's load curve: the throughput target asks for ≥ 10,000 flows at
 * 64 at once. Two or more flows per worker at every level, so that flows at
 * different phases overlap (one per worker at 64 was all starts, then all
 * callbacks).
 */
export const FULL_LOAD_PLAN: LoadPlan = {
  levels: [
    { concurrency: 1, flows: 200 },
    { concurrency: 4, flows: 1_000 },
    { concurrency: 16, flows: 2_000 },
    { concurrency: 64, flows: 10_000 },
  ],
  rated: true,
};

/** Inside `npm run repro`: C8's success rate one at a time and at 8 at once (three flows per worker), no ceiling. */
export const QUICK_LOAD_PLAN: LoadPlan = {
  levels: [
    { concurrency: 1, flows: 2 },
    { concurrency: 8, flows: 24 },
  ],
  rated: false,
};

/** The throughput target for the recommended stores: at least this share of the ceiling at 64 at once. */
export const THROUGHPUT_TARGET_RATIO = 0.8;

interface Subject {
  name: string;
  store: string;
  topology: TopologyName;
  /** false: measured for C8's success rate only (memory split across processes: its rate would measure failures). */
  rated: boolean;
  deployment?: Deployment;
  history?: History;
  error?: string;
  nextFlow: number;
}

/** One timed run, read as throughput and as C8's figures for the same flows (a flow is one sample of both). */
async function timedRun(ctx: MeasureContext, subject: Subject, concurrency: number, flows: number, tag: string): Promise<{ run: ThroughputRun; outcomes: ConcurrencyLevelResult }> {
  const deployment = subject.deployment!;
  const historyFile = path.join(ctx.run.dir, 'history', `${subject.name}.c${concurrency}${tag}.jsonl`);
  const history = new History(historyFile);
  const ids = Array.from({ length: flows }, (_, i) => subject.nextFlow + i);
  subject.nextFlow += flows;
  const begun = performance.now();
  try {
    // inPool's workers each take the next flow as soon as their last one is done: closed-loop.
    await inPool(ids, concurrency, async (flow) => {
      const started = await startFlow(deployment.endpoints, ctx.target, history, flow);
      if (started) await completeFlow(deployment.endpoints, ctx.target, history, started, deployment.callbackUrl);
    });
  } finally {
    await history.close();
  }
  const durationMs = performance.now() - begun;
  const summary = summariseFlows(history.ops);
  const overlap = measureOverlap(history.ops);
  return {
    run: { concurrency, flows: summary.flows, passed: summary.passed, durationMs: Math.round(durationMs), flowsPerSecond: summary.passed / (durationMs / 1000) },
    outcomes: levelResult(concurrency, summary, Math.round(durationMs), path.relative(ctx.run.dir, historyFile), { ...overlap, nominalReached: reachedNominal(concurrency, overlap) }),
  };
}

/** Authorizations of this deployment's client whose code was redeemed more than once. */
function doubleUsed(records: readonly MockFlowRecord[] | undefined, deployment: Deployment): number | undefined {
  return records?.filter((r) => r.clientId === deployment.clientId && r.redemptions.length > 1).length;
}

/** " (in flight ≤64, median 40; 50 callbacks amid other starts)", and says when the level fell short of its overlap. */
function overlapWords(level: ConcurrencyLevelResult): string {
  const o = level.overlap;
  if (!o || level.concurrency === 1) return '';
  return ` (in flight ≤${o.maxInFlight}, median ${o.medianInFlight}; ${o.callbacksDuringOtherStarts} callbacks amid other starts${o.nominalReached ? '' : '; overlap not reached'})`;
}

/** A ceiling burst: a fifth of the level's flows, at least two rounds of its workers, at most the level's flows. */
export const ceilingBurstFlows = (concurrency: number, flows: number) => Math.min(flows, Math.max(2 * concurrency, Math.round(flows / 5)));

const ratioWords = (level: ThroughputLevel | undefined) => (level?.ratioToCeiling === undefined ? '' : ` ${level.ratioToCeiling.toFixed(2)}×`);

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

/** Throughput against the ceiling and C8's success rates, from one set of flows. */
export interface LoadResult {
  throughput: StoreThroughput[];
  concurrency: ConcurrencyResult;
}

/**
 * Every store's flows at each level of the plan, measured once and read
 * twice: as success rates (C8) and, when the plan is rated, as flows/s
 * against the ceiling (throughput). memory runs split-process for C8 only.
 * `plan` overrides the run's (tests run a handful).
 */
export async function measureLoad(ctx: MeasureContext, plan: LoadPlan = ctx.quick ? QUICK_LOAD_PLAN : FULL_LOAD_PLAN): Promise<LoadResult> {
  mkdirSync(path.join(ctx.run.dir, 'history'), { recursive: true });
  const ceiling: Subject | undefined = plan.rated && ctx.target.stores[THROUGHPUT_CEILING.store] ? { name: 'throughput.ceiling', ...THROUGHPUT_CEILING, rated: false, nextFlow: 1 } : undefined;
  const subjects: Subject[] = ctx.stores.map((store) => ({ name: `throughput.${store}`, store, topology: 'split-process', rated: plan.rated && store !== 'memory', nextFlow: 1 }));
  const everyone = [...(ceiling ? [ceiling] : []), ...subjects];
  const levels = new Map<Subject, ThroughputLevel[]>(subjects.map((s) => [s, []]));
  const outcomes = new Map<Subject, ConcurrencyLevelResult[]>(subjects.map((s) => [s, []]));
  try {
    // Started two at a time (one per core: starts are CPU-bound), all before the first flow: none of them is timed.
    await inPool(everyone, 2, async (subject) => {
      subject.history = new History(path.join(ctx.run.dir, 'history', `${subject.name}.processes.jsonl`));
      try {
        subject.deployment = await Deployment.start({ target: ctx.target, topology: subject.topology, store: subject.store, label: subject.name, mock: ctx.mock, run: ctx.run, history: subject.history });
      } catch (error) {
        subject.error = error instanceof Error ? error.message : String(error);
      }
    });
    for (const { concurrency, flows } of plan.levels) {
      const burst = ceilingBurstFlows(concurrency, flows);
      const ceilingBurst = async (tag: string) => (ceiling?.deployment ? (await timedRun(ctx, ceiling, concurrency, burst, tag)).run : undefined);
      const measured: [Subject, Awaited<ReturnType<typeof timedRun>>, ThroughputRun[]][] = [];
      // Every burst of this level in order: bursts[i] and bursts[i + 1] stand beside the i-th store measured.
      const bursts: ThroughputRun[] = [];
      const first = await ceilingBurst('.before');
      if (first) bursts.push(first);
      for (const subject of subjects) {
        if (!subject.deployment) continue;
        const timed = await timedRun(ctx, subject, concurrency, flows, '');
        const after = await ceilingBurst(`.after-${subject.store}`);
        measured.push([subject, timed, [bursts.at(-1), after].filter((r): r is ThroughputRun => r !== undefined)]);
        if (after) bursts.push(after);
      }
      for (const [subject, { run, outcomes: level }, ceilingRuns] of measured) {
        const ceilingRate = mean(ceilingRuns.map((r) => r.flowsPerSecond));
        outcomes.get(subject)!.push(level);
        levels.get(subject)!.push({
          ...run,
          ceilingRuns,
          ...(ceilingRate ? { ceilingFlowsPerSecond: ceilingRate, ratioToCeiling: run.flowsPerSecond / ceilingRate } : {}),
        });
      }
      const ceilingRate = mean(bursts.map((r) => r.flowsPerSecond));
      const unrated = measured.filter(([s]) => !s.rated).map(([s]) => s.store);
      ctx.onProgress?.(
        `load: ${concurrency} at once: ${ceiling ? `ceiling ${ceilingRate?.toFixed(0) ?? '–'} flows/s; ` : ''}` +
          measured.map(([s, { run: r, outcomes: o }]) => `${s.store} ${r.passed}/${r.flows}${s.rated ? ratioWords(levels.get(s)!.at(-1)) : ''}${overlapWords(o)}`).join(', ') +
          (ceiling && unrated.length ? ` (${unrated.join(', ')}: success rate only)` : ''),
      );
    }
    // The mock's evidence, read once: every authorization of the run, with its redemptions.
    const evidence = await ctx.mock.flows().catch(() => undefined);
    const throughput: StoreThroughput[] = [];
    for (const subject of subjects.filter((s) => s.rated)) {
      const own = levels.get(subject)!;
      const bursts = own.filter((l) => l.concurrency === 64).map(({ flows, passed, durationMs, flowsPerSecond }) => ({ flows, passed, durationMs, flowsPerSecond }));
      const rates = bursts.map((b) => b.flowsPerSecond);
      throughput.push({
        store: subject.store,
        quick: ctx.quick,
        topology: subject.topology,
        bursts,
        medianFlowsPerSecond: median(rates),
        minFlowsPerSecond: rates.length ? Math.min(...rates) : undefined,
        maxFlowsPerSecond: rates.length ? Math.max(...rates) : undefined,
        levels: own,
        lost: own.reduce((sum, l) => sum + l.flows - l.passed, 0),
        ...(subject.deployment ? { doubleUsed: doubleUsed(evidence, subject.deployment) } : {}),
        ratioAt64: own.find((l) => l.concurrency === 64)?.ratioToCeiling,
        ...(subject.error ? { error: subject.error } : ceiling?.error ? { error: `the ceiling (memory, single-process) did not start: ${ceiling.error}` } : {}),
      });
    }
    const concurrency: ConcurrencyResult = {
      quick: ctx.quick,
      stores: subjects.map((subject) => ({
        store: subject.store,
        topology: 'split-process',
        processes: subject.deployment ? [...subject.deployment.processes] : [],
        levels: outcomes.get(subject)!,
        ...(subject.error ? { error: subject.error } : {}),
        // Its own flows' time: the levels run the stores one after the other.
        durationMs: outcomes.get(subject)!.reduce((sum, level) => sum + level.durationMs, 0),
      })),
    };
    return { throughput, concurrency };
  } finally {
    await Promise.all(everyone.map((s) => s.deployment?.stop().catch(() => undefined)));
    await Promise.all(everyone.map((s) => s.history?.close()));
  }
}
