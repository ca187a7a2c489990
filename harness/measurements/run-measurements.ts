/**
 * Runs the measurements of a run: the timing-sensitive ones alone first,
 * then the others two at a time; turns each one's raw data into rows, and a
 * crash (in the run or in its row functions) into 'unknown' rows, never a pass.
 */
import { performance } from 'node:perf_hooks';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { CellResult } from '../core/cell-result.ts';
import { inPool } from '../core/in-pool.ts';
import { describeError } from '../core/harness-error.ts';
import type { ChartArtifact, ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';
import type { Measurement, MeasurementRecord } from './measurement.ts';

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
  const phaseStarted = performance.now();
  const runOne = async (measurement: Measurement) => {
    const started = performance.now();
    const startMs = Math.round(started - phaseStarted);
    const notApplicable = measurement.notApplicable?.(ctx.target);
    if (notApplicable) {
      ctx.onProgress?.(`${measurement.id}: not applicable to ${ctx.target.name}: ${notApplicable}`);
      results.set(measurement.id, { measurement, record: { id: measurement.id, durationMs: 0, startMs, quick: ctx.quick, notApplicable } });
      return;
    }
    ctx.onProgress?.(`measuring ${measurement.id}${ctx.quick ? ' (quick)' : ''}…`);
    let ownMock: MockAtlassian | undefined;
    try {
      if (measurement.ownMock) ownMock = await startMock();
      const raw = await measurement.run(ownMock ? { ...ctx, mock: ownMock } : ctx);
      results.set(measurement.id, { measurement, raw, record: { id: measurement.id, durationMs: Math.round(performance.now() - started), startMs, quick: ctx.quick, raw } });
    } catch (error) {
      const message = describeError(error);
      results.set(measurement.id, { measurement, record: { id: measurement.id, durationMs: Math.round(performance.now() - started), startMs, quick: ctx.quick, error: message } });
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
    if (result.record.error === undefined && result.record.notApplicable === undefined) {
      const raw = result.raw;
      try {
        outcome.claims.push(...(measurement.claims?.(raw, cells) ?? []));
        outcome.reliability.push(...(measurement.reliability?.(raw) ?? []));
        outcome.charts.push(...(measurement.charts?.(raw) ?? []).map((chart) => ({ id: chart.id, title: chart.input.title, file: `charts/${chart.id}.svg`, input: chart.input })));
        continue;
      } catch (error) {
        result.record.error = `its rows could not be computed: ${describeError(error)}`;
      }
    }
    for (const id of measurement.claimIds ?? []) {
      outcome.claims.push({
        id,
        claim: '(see the write-up)',
        measured: result.record.notApplicable ? `not measured on this target (${measurement.id})` : `measurement "${measurement.id}" failed`,
        figure: '–',
        samples: '0',
        verdict: 'unknown',
        conditions: (result.record.notApplicable ?? result.record.error ?? '').split('\n')[0],
        command: 'npm run repro',
        quick: ctx.quick,
      });
    }
  }
  // A claim another measurement measured (C5 from file growth where the store benchmark cannot run) replaces the placeholder.
  outcome.claims = outcome.claims.filter((row) => !(row.measured.startsWith('not measured on this target') && outcome.claims.some((other) => other.id === row.id && other !== row)));
  // Rows that depend on other claims' measured rows (C2's conditions on C3 and C8, say), computed last.
  for (const measurement of measurements) {
    const record = results.get(measurement.id)?.record;
    if (!measurement.refineClaims || record?.error || record?.notApplicable) continue;
    const ids = new Set(measurement.claimIds ?? []);
    const own = outcome.claims.filter((row) => ids.has(row.id));
    const refined = measurement.refineClaims(own, outcome.claims);
    outcome.claims = [...outcome.claims.filter((row) => !ids.has(row.id)), ...refined];
  }
  outcome.claims.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return outcome;
}
