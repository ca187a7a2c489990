/**
 * C7's charts: per-operation p50 against live sessions, log-log, one line per
 * store; one chart per operation (put, get, take), because three operations ×
 * several stores in one plot is unreadable. The get chart is also the lookup target's
 * "state lookup stays flat". The y axis says how many cycles stand behind a
 * point (the time budget gives slow stores few, the memory store hundreds).
 */
import type { ChartSpec, LineChartInput } from '../chart-spec.ts';
import type { Op, StoreLatencyResult } from './store-latency.ts';

const OP_WORDS: Record<Op, string> = { put: 'put (store a state)', get: 'get (look a state up)', take: 'take (read and delete a state)' };

export function storeLatencyChartInput(result: Pick<StoreLatencyResult, 'stores' | 'quick'>, op: Op): LineChartInput {
  const stores = result.stores.filter((s) => s.points.length > 0);
  const samples = stores.flatMap((s) => s.points.map((p) => p.ops[op].samples));
  const range = samples.length ? `${Math.min(...samples)}${Math.max(...samples) > Math.min(...samples) ? `–${Math.max(...samples)}` : ''}` : '0';
  return {
    title: `C7: ${OP_WORDS[op]}, p50 by live sessions${result.quick ? ' (quick run)' : ''}`,
    subtitle: `one line per store, one process each; lower is faster; each point the p50 of ${range} ${op} calls`,
    xLabel: 'live sessions in the store (log scale)',
    yLabel: `${op} p50 (µs, log scale)`,
    yNote: `n = ${range} calls per point`,
    logX: true,
    logY: true,
    series: stores.map((s) => ({ name: s.store, points: s.points.map((p) => ({ x: p.liveSessions, y: p.ops[op].p50Us })) })),
  };
}

export function storeLatencyCharts(result: Pick<StoreLatencyResult, 'stores' | 'quick'>): ChartSpec[] {
  return (['put', 'get', 'take'] as const).map((op) => ({ id: `c7-${op}-latency`, input: storeLatencyChartInput(result, op) }));
}
