/**
 * How fast this machine is answering in this run, measured, so that a
 * timeout which decides a verdict grows with the load instead of turning a
 * busy machine into the target's failure. Each timeout keeps its quiet
 * value as a floor (so a quiet run is judged exactly as before) and rises
 * to k × what was observed: the scenario table's flow latencies for the
 * whole run, a deployment's own answer times for its checks.
 */
import { percentile } from './checkers/percentile.ts';

/** How many times the observed figure a wait may last before it counts as no answer. */
export const SLACK_FACTOR = 10;

/** The scenario table's pace: flows measured in this run before any measurement. */
export interface RunPace {
  /** The median over the table's cells of each cell's p95 flow latency, ms. */
  flowP95Ms: number;
  /** Flows behind the figure. */
  flows: number;
}

/** The run's pace from the table's cells; undefined when no flow completed. */
export function paceOfCells(cells: readonly { latencyMs: { p95?: number; samples: number } }[]): RunPace | undefined {
  const measured = cells.filter((cell) => cell.latencyMs.p95 !== undefined && cell.latencyMs.samples > 0);
  if (measured.length === 0) return undefined;
  // The median cell's p95: cells ran side by side, so each figure carries the machine's load; the median leaves out the few cells that are slow by design (a restart mid-flow, a browser).
  return { flowP95Ms: percentile(measured.map((cell) => cell.latencyMs.p95!), 50)!, flows: measured.reduce((n, cell) => n + cell.latencyMs.samples, 0) };
}

/** A timeout of `floorMs` on a quiet machine, k × the run's flow p95 when the run was slower than that. */
export function paceTimeout(floorMs: number, pace: RunPace | undefined, k = SLACK_FACTOR): number {
  return Math.max(floorMs, Math.ceil(k * (pace?.flowP95Ms ?? 0)));
}

/**
 * Answer times of one endpoint, as they are observed; the budget for the
 * next wait is k × their p99, never below the floor. Kept short (the last
 * 200), so it follows the load as it changes.
 */
export class AnswerTimes {
  private readonly samples: number[] = [];

  constructor(private readonly keep = 200) {}

  record(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > this.keep) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  p99(): number | undefined {
    return percentile(this.samples, 99);
  }

  budgetMs(floorMs: number, k = SLACK_FACTOR): number {
    return Math.max(floorMs, Math.ceil(k * (this.p99() ?? 0)));
  }

  /** "10 × p99 183 ms over 95 answers", or the floor when nothing was seen yet. */
  describeBudget(floorMs: number, k = SLACK_FACTOR): string {
    const p99 = this.p99();
    const budget = this.budgetMs(floorMs, k);
    return p99 === undefined || budget === floorMs ? `${budget} ms (floor)` : `${budget} ms = ${k} × p99 ${Math.round(p99)} ms over ${this.count} answers`;
  }
}
