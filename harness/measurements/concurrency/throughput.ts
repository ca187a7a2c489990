/**
 * Issue 6's "at least 500 complete flows per second through the real
 * processes with no state lost": repeated bursts of flows, 64 at once,
 * against one deployment per store, reported as median and spread. The
 * full version (npm run bench) runs 5 bursts of 500 flows; the quick one
 * 3 bursts of 64.
 */
import { median } from '../../core/checkers/percentile.ts';
import type { MeasureContext } from '../measure-context.ts';
import { measureConcurrency } from './measure-concurrency.ts';

export interface StoreThroughput {
  store: string;
  bursts: { flows: number; passed: number; durationMs: number; flowsPerSecond: number }[];
  medianFlowsPerSecond?: number;
  minFlowsPerSecond?: number;
  maxFlowsPerSecond?: number;
  /** Flows of all bursts that did not complete. */
  lost: number;
  error?: string;
}

export const THROUGHPUT_TARGET_FLOWS_PER_SECOND = 500;

export async function measureThroughput(ctx: MeasureContext): Promise<StoreThroughput[]> {
  const burst = ctx.quick ? { bursts: 3, flows: 64 } : { bursts: 5, flows: 500 };
  const plan = Array.from({ length: burst.bursts }, () => ({ concurrency: 64, flows: burst.flows }));
  const results: StoreThroughput[] = [];
  // memory loses every state across processes: its "throughput" would measure failures.
  for (const store of ctx.stores.filter((s) => s !== 'memory')) {
    const measured = await measureConcurrency({ ...ctx, stores: [store] }, plan, 'throughput');
    const levels = measured.stores[0]?.levels ?? [];
    const bursts = levels.map((level) => ({
      flows: level.flows,
      passed: level.passed,
      durationMs: level.durationMs,
      flowsPerSecond: level.passed / (level.durationMs / 1000),
    }));
    const rates = bursts.map((b) => b.flowsPerSecond);
    results.push({
      store,
      bursts,
      medianFlowsPerSecond: median(rates),
      minFlowsPerSecond: rates.length ? Math.min(...rates) : undefined,
      maxFlowsPerSecond: rates.length ? Math.max(...rates) : undefined,
      lost: bursts.reduce((sum, b) => sum + b.flows - b.passed, 0),
      ...(measured.stores[0]?.error ? { error: measured.stores[0].error } : {}),
    });
  }
  return results;
}
