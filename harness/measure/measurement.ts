/**
 * A measurement beyond the scenario table: it runs against the run's mock
 * and target, returns raw data, and turns that data into report rows with
 * pure functions. A measurement that throws is recorded with its error and
 * its rows become 'unknown', never a pass.
 */
import { performance } from 'node:perf_hooks';
import type { MockAtlassian } from '../mock/mock-atlassian.ts';
import type { CellResult } from '../results/results-document.ts';
import { inPool } from '../run/in-pool.ts';
import type { ChartArtifact, ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';

export interface Measurement<Raw = unknown> {
  id: string;
  /** Ids of the claim rows it produces, so a crash can still show them as unknown. */
  claimIds?: string[];
  /** Runs alone, before the others: its figures are timings that a busy CPU would distort. */
  exclusive?: boolean;
  /** Gets a mock Atlassian server of its own: it changes the mock's knobs, which would disturb the others. */
  ownMock?: boolean;
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
  startMock: () => Promise<MockAtlassian>,
  parallel = 2,
): Promise<MeasurementsOutcome> {
  const outcome: MeasurementsOutcome = { claims: [], reliability: [], charts: [], records: [] };
  const results = new Map<string, { measurement: Measurement; record: MeasurementRecord; raw?: unknown }>();
  const runOne = async (measurement: Measurement) => {
    const started = performance.now();
    ctx.onProgress?.(`measuring ${measurement.id}${ctx.quick ? ' (quick)' : ''}…`);
    let ownMock: MockAtlassian | undefined;
    try {
      if (measurement.ownMock) ownMock = await startMock();
      const raw = await measurement.run(ownMock ? { ...ctx, mock: ownMock } : ctx);
      results.set(measurement.id, { measurement, raw, record: { id: measurement.id, durationMs: Math.round(performance.now() - started), quick: ctx.quick, raw } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.set(measurement.id, { measurement, record: { id: measurement.id, durationMs: Math.round(performance.now() - started), quick: ctx.quick, error: message } });
    } finally {
      await ownMock?.stop().catch(() => undefined);
    }
    ctx.onProgress?.(`measured ${measurement.id} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  for (const measurement of measurements.filter((m) => m.exclusive)) await runOne(measurement);
  await inPool(measurements.filter((m) => !m.exclusive), parallel, runOne);

  // Rows in the list's order, whatever order they finished in.
  for (const measurement of measurements) {
    const result = results.get(measurement.id)!;
    outcome.records.push(result.record);
    if (result.record.error === undefined) {
      const raw = result.raw;
      try {
        outcome.claims.push(...(measurement.claims?.(raw, cells) ?? []));
        outcome.reliability.push(...(measurement.reliability?.(raw) ?? []));
        outcome.charts.push(...(measurement.charts?.(raw) ?? []));
        continue;
      } catch (error) {
        result.record.error = `its rows could not be computed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    for (const id of measurement.claimIds ?? []) {
      outcome.claims.push({
        id,
        claim: '(see the write-up)',
        measured: `measurement "${measurement.id}" failed`,
        figure: '–',
        samples: '0',
        verdict: 'unknown',
        conditions: (result.record.error ?? '').split('\n')[0],
        command: 'npm run repro',
        quick: ctx.quick,
      });
    }
  }
  outcome.claims.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return outcome;
}
