/**
 * C7's charts: per-operation p50 against live sessions, log-log, one line per
 * store; one chart per operation (put, get, take), because three operations ×
 * several stores in one plot is unreadable. The get chart is also issue 6's
 * "state lookup stays flat".
 */
import type { ChartSpec, LineChartInput } from '../chart-spec.ts';
import type { Op, StoreLatencyResult } from './store-latency.ts';

const OP_WORDS: Record<Op, string> = { put: 'put (store a state)', get: 'get (look a state up)', take: 'take (read and delete a state)' };

export function storeLatencyChartInput(result: Pick<StoreLatencyResult, 'stores' | 'quick'>, op: Op): LineChartInput {
  return {
    title: `C7: ${OP_WORDS[op]}, p50 by live sessions${result.quick ? ' (quick run)' : ''}`,
    xLabel: 'live sessions in the store',
    yLabel: `${op} p50 (µs)`,
    logX: true,
    logY: true,
    series: result.stores
      .filter((s) => s.points.length > 0)
      .map((s) => ({ name: s.store, points: s.points.map((p) => ({ x: p.liveSessions, y: p.ops[op].p50Us })) })),
  };
}

export function storeLatencyCharts(result: Pick<StoreLatencyResult, 'stores' | 'quick'>): ChartSpec[] {
  return (['put', 'get', 'take'] as const).map((op) => ({ id: `c7-${op}-latency`, input: storeLatencyChartInput(result, op) }));
}
