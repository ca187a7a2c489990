/**
 * A measurement beyond the scenario table: it runs against the run's mock
 * and target, returns raw data, and turns that data into report rows with
 * pure functions. A measurement that throws is recorded with its error and
 * its rows become 'unknown', never a pass.
 */
import { performance } from 'node:perf_hooks';
import type { CellResult } from '../results/results-document.ts';
import type { ChartArtifact, ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';

export interface Measurement<Raw = unknown> {
  id: string;
  /** Ids of the claim rows it produces, so a crash can still show them as unknown. */
  claimIds?: string[];
  run(ctx: MeasureContext): Promise<Raw>;
  claims?(raw: Raw, cells: readonly CellResult[]): ClaimRow[];
  reliability?(raw: Raw): ReliabilityRow[];
  charts?(raw: Raw): ChartArtifact[];
}

export interface MeasurementRecord {
  id: string;
  durationMs: number;
  quick: boolean;
  raw?: unknown;
  error?: string;
}

export interface MeasurementsOutcome {
  claims: ClaimRow[];
  reliability: ReliabilityRow[];
  charts: ChartArtifact[];
  records: MeasurementRecord[];
}

export async function runMeasurements(
  ctx: MeasureContext,
  cells: readonly CellResult[],
  measurements: readonly Measurement[],
): Promise<MeasurementsOutcome> {
  const outcome: MeasurementsOutcome = { claims: [], reliability: [], charts: [], records: [] };
  for (const measurement of measurements) {
    const started = performance.now();
    ctx.onProgress?.(`measuring ${measurement.id}${ctx.quick ? ' (quick)' : ''}…`);
    try {
      const raw = await measurement.run(ctx);
      outcome.records.push({ id: measurement.id, durationMs: Math.round(performance.now() - started), quick: ctx.quick, raw });
      outcome.claims.push(...(measurement.claims?.(raw, cells) ?? []));
      outcome.reliability.push(...(measurement.reliability?.(raw) ?? []));
      outcome.charts.push(...(measurement.charts?.(raw) ?? []));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome.records.push({ id: measurement.id, durationMs: Math.round(performance.now() - started), quick: ctx.quick, error: message });
      for (const id of measurement.claimIds ?? []) {
        outcome.claims.push({
          id,
          claim: '(see the write-up)',
          measured: `measurement "${measurement.id}" crashed`,
          figure: '–',
          samples: '0',
          verdict: 'unknown',
          conditions: message.split('\n')[0],
          command: 'npm run repro',
          quick: ctx.quick,
        });
      }
    }
  }
  outcome.claims.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return outcome;
}
