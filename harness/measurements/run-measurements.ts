/**
 * Runs the measurements of a run: decides n/a from each one's `needs` (here
 * and nowhere else), runs the timing-sensitive ones alone first, then the
 * others two at a time (a sequence counts as one), and turns each record into
 * rows with its pure `check`. A crash, in `run` or in `check`, makes its
 * claims and grade cells 'unknown' / 'not measured', never a pass.
 */
import { performance } from 'node:perf_hooks';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { CellResult } from '../core/cell-result.ts';
import { inPool } from '../core/in-pool.ts';
import { describeError } from '../core/harness-error.ts';
import { DeploymentPool } from '../deploy/deployment-pool.ts';
import type { GradeCell } from './grade-cell.ts';
import type { ChartArtifact, ClaimEvidence, ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';
import type { AnyMeasurement, Checked, CheckInput, EvidencePlan, MeasurementRecord } from './measurement.ts';
import { unmetNeed } from './needs.ts';
import { writeUpStores } from './write-up-stores.ts';

export interface MeasurementsOutcome {
  claims: ClaimRow[];
  reliability: ReliabilityRow[];
  charts: ChartArtifact[];
  records: MeasurementRecord[];
}

/** The list cut into units the pool runs: a lone measurement, or a sequence in list order. */
function units(measurements: readonly AnyMeasurement[]): AnyMeasurement[][] {
  const out: AnyMeasurement[][] = [];
  const sequences = new Map<string, AnyMeasurement[]>();
  for (const measurement of measurements) {
    if (!measurement.sequence) {
      out.push([measurement]);
      continue;
    }
    let unit = sequences.get(measurement.sequence);
    if (!unit) {
      unit = [];
      sequences.set(measurement.sequence, unit);
      out.push(unit);
    }
    unit.push(measurement);
  }
  return out;
}

const placeholderClaim = (id: string, measurement: AnyMeasurement, record: MeasurementRecord): ClaimRow => ({
  id,
  claim: '(see the write-up)',
  measured: record.notApplicable ? `not measured on this target (${measurement.id})` : `measurement "${measurement.id}" failed`,
  figure: '–',
  samples: '0',
  verdict: 'unknown',
  conditions: (record.notApplicable ?? record.error ?? '').split('\n')[0],
  command: 'npm run repro',
  quick: record.quick,
});

/** A declared column's cells when the measurement did not apply (n/a, left out of the score) or failed (not measured). */
function placeholderColumn(record: MeasurementRecord, stores: readonly string[]): Record<string, GradeCell> {
  const cell: GradeCell = record.notApplicable
    ? { grade: 'n/a', detail: `not measured on this target: ${record.notApplicable}` }
    : { grade: 'not measured', detail: `measurement "${record.id}" failed: ${(record.error ?? '').split('\n')[0]}` };
  return Object.fromEntries(stores.map((store) => [store, cell]));
}

/** A measurement's evidence as a run used it: the quick plan and what the bench adds, or the quick plan and the bench's additions together when this run was the bench. */
export function evidenceOf(evidence: EvidencePlan, quick: boolean): ClaimEvidence {
  if (!quick) return { run: 'bench', used: evidence.benchAdds ? `${evidence.quick}; ${evidence.benchAdds}` : evidence.quick };
  return evidence.benchAdds ? { run: 'quick', used: evidence.quick, benchAdds: evidence.benchAdds } : { run: 'quick', used: evidence.quick };
}

/** Runs a measurement's check on its record and keeps on the record what grading and the report read: its published values and its columns. Throws what check throws. */
export function applyCheck(measurement: AnyMeasurement, record: MeasurementRecord, input: CheckInput): Checked {
  const checked = measurement.check(record.raw, input);
  if (checked.published) record.published = checked.published;
  if (checked.rows?.length) record.rowIds = checked.rows.map((row) => row.id);
  if (checked.claims?.length) record.claimIds = checked.claims.map((claim) => claim.id);
  for (const claim of checked.claims ?? []) {
    const plan = measurement.evidence?.[claim.id];
    if (plan) claim.evidence ??= evidenceOf(plan, record.quick);
  }
  if (measurement.columns?.length) {
    record.columns = measurement.columns.map((column) => ({
      ...column,
      cells: checked.grades?.[column.name] ?? placeholderColumn({ ...record, error: `it graded no store on ${column.name}` }, input.stores),
    }));
  }
  return checked;
}

export async function runMeasurements(
  ctx: MeasureContext,
  cells: readonly CellResult[],
  measurements: readonly AnyMeasurement[],
  startMock: () => Promise<MockAtlassian>,
  parallel = 2,
): Promise<MeasurementsOutcome> {
  const outcome: MeasurementsOutcome = { claims: [], reliability: [], charts: [], records: [] };
  const records = new Map<string, MeasurementRecord>();
  const phaseStarted = performance.now();

  const runUnit = async (unit: AnyMeasurement[]) => {
    const applicable = unit.filter((measurement) => {
      const notApplicable = unmetNeed(measurement.needs, ctx.target);
      if (!notApplicable) return true;
      ctx.onProgress?.(`${measurement.id}: not applicable to ${ctx.target.name}: ${notApplicable}`);
      records.set(measurement.id, { id: measurement.id, durationMs: 0, startMs: Math.round(performance.now() - phaseStarted), quick: ctx.quick, notApplicable });
      return false;
    });
    if (applicable.length === 0) return;
    let ownMock: MockAtlassian | undefined;
    let pool: DeploymentPool | undefined;
    try {
      if (applicable.some((m) => m.ownMock)) ownMock = await startMock();
      const unitCtx: MeasureContext = ownMock ? { ...ctx, mock: ownMock } : { ...ctx };
      if (unit.length > 1 || unit[0]?.sequence) {
        pool = new DeploymentPool(unitCtx, { name: unit[0]!.sequence! });
        unitCtx.sequencePool = pool;
      }
      for (const measurement of applicable) {
        const started = performance.now();
        const startMs = Math.round(started - phaseStarted);
        ctx.onProgress?.(`measuring ${measurement.id}${ctx.quick ? ' (quick)' : ''}…`);
        try {
          const raw = await measurement.run(unitCtx);
          records.set(measurement.id, { id: measurement.id, durationMs: Math.round(performance.now() - started), startMs, quick: ctx.quick, raw });
        } catch (error) {
          records.set(measurement.id, { id: measurement.id, durationMs: Math.round(performance.now() - started), startMs, quick: ctx.quick, error: describeError(error) });
        }
        ctx.onProgress?.(`measured ${measurement.id} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    } catch (error) {
      // The unit's mock would not start: every measurement of it that has no record failed with that.
      for (const measurement of applicable) {
        if (!records.has(measurement.id)) records.set(measurement.id, { id: measurement.id, durationMs: 0, quick: ctx.quick, error: describeError(error) });
      }
    } finally {
      await pool?.stop().catch(() => undefined);
      await ownMock?.stop().catch(() => undefined);
    }
  };
  const all = units(measurements);
  for (const unit of all.filter((u) => u.some((m) => m.exclusive))) await runUnit(unit);
  await inPool(all.filter((u) => !u.some((m) => m.exclusive)), parallel, runUnit);

  // Rows in the list's order, whatever order they finished in.
  const standIns = new Set<ClaimRow>();
  const input = { cells, stores: ctx.stores, writeUp: writeUpStores(ctx.target) };
  for (const measurement of measurements) {
    const record = records.get(measurement.id)!;
    outcome.records.push(record);
    if (record.error === undefined && record.notApplicable === undefined) {
      try {
        const checked = applyCheck(measurement, record, input);
        outcome.claims.push(...(checked.claims ?? []));
        outcome.reliability.push(...(checked.rows ?? []));
        outcome.charts.push(...(checked.charts ?? []).map((chart) => ({ id: chart.id, title: chart.input.title, file: `charts/${chart.id}.svg`, input: chart.input })));
        continue;
      } catch (error) {
        record.error = `its rows could not be computed: ${describeError(error)}`;
      }
    }
    for (const id of measurement.claimIds ?? []) {
      const row = placeholderClaim(id, measurement, record);
      standIns.add(row);
      outcome.claims.push(row);
    }
    if (measurement.columns?.length) record.columns = measurement.columns.map((column) => ({ ...column, cells: placeholderColumn(record, ctx.stores) }));
  }
  // A claim another measurement measured (C5 from file growth where the store benchmark cannot run) replaces its stand-in.
  outcome.claims = outcome.claims.filter((row) => !(standIns.has(row) && outcome.claims.some((other) => other.id === row.id && !standIns.has(other))));
  // Rows that depend on other claims' measured rows (C2's conditions on C3 and C8, say), computed last.
  for (const measurement of measurements) {
    const record = records.get(measurement.id);
    if (!measurement.refineClaims || record?.error || record?.notApplicable) continue;
    const ids = new Set(measurement.claimIds ?? []);
    const own = outcome.claims.filter((row) => ids.has(row.id));
    const refined = measurement.refineClaims(own, outcome.claims);
    outcome.claims = [...outcome.claims.filter((row) => !ids.has(row.id)), ...refined];
  }
  outcome.claims.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  return outcome;
}
