/**
 * C7's charts: per-operation p50 against live sessions, log-log, one line per
 * store; one chart per operation (put, get, take), because three operations ×
 * several stores in one plot is unreadable. The get chart is also issue 6's
 * "state lookup stays flat".
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChartArtifact } from '../measure/measure-context.ts';
import type { Op, StoreLatencyResult } from '../bench/store-latency.ts';
import { renderLineChartSvg, type LineChartInput } from './line-chart.ts';

export interface WrittenChart extends ChartArtifact {
  /** Where the SVG was written (absolute). */
  writtenTo: string;
}

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

export async function writeStoreLatencyCharts(
  result: Pick<StoreLatencyResult, 'stores' | 'quick'>,
  outDir: string,
  filePrefix = 'report/charts/',
): Promise<WrittenChart[]> {
  mkdirSync(outDir, { recursive: true });
  const charts: WrittenChart[] = [];
  for (const op of ['put', 'get', 'take'] as const) {
    const input = storeLatencyChartInput(result, op);
    const name = `c7-${op}-latency.svg`;
    const writtenTo = path.join(outDir, name);
    writeFileSync(writtenTo, await renderLineChartSvg(input));
    charts.push({ id: `c7-${op}-latency`, title: input.title, file: `${filePrefix}${name}`, writtenTo });
  }
  return charts;
}
