/**
 * A measurement beyond the scenario table: it runs against the run's mock
 * and target, returns raw data, and turns that data into report rows with
 * pure functions. A measurement that throws is recorded with its error and
 * its rows become 'unknown', never a pass.
 */
import type { CellResult } from '../core/cell-result.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import type { ChartSpec } from './chart-spec.ts';
import type { ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';

export interface Measurement<Raw = unknown> {
  id: string;
  /** Ids of the claim rows it produces, so a crash can still show them as unknown. */
  claimIds?: string[];
  /** Runs alone, before the others: its figures are timings that a busy CPU would distort. */
  exclusive?: boolean;
  /** Gets a mock Atlassian server of its own: it changes the mock's knobs, which would disturb the others. */
  ownMock?: boolean;
  /** Why it cannot run on this target (e.g. "needs a store module"); undefined: it applies. Its claim rows then say so. */
  notApplicable?(target: TargetDescription): string | undefined;
  run(ctx: MeasureContext): Promise<Raw>;
  claims?(raw: Raw, cells: readonly CellResult[]): ClaimRow[];
  /** Revisits its claim rows once every measurement's rows exist (a condition stated by what another claim measured). Pure. */
  refineClaims?(own: readonly ClaimRow[], all: readonly ClaimRow[]): ClaimRow[];
  reliability?(raw: Raw): ReliabilityRow[];
  charts?(raw: Raw): ChartSpec[];
}

export interface MeasurementRecord {
  id: string;
  durationMs: number;
  /** When it started, in ms after the measurements phase began (measurements overlap: two run at a time). Absent in older documents. */
  startMs?: number;
  quick: boolean;
  raw?: unknown;
  error?: string;
  /** Set when it did not apply to the target, with why: not an error, not a pass. */
  notApplicable?: string;
}

export const NEEDS_STORE_MODULE = (target: TargetDescription) =>
  target.storeModule ? undefined : 'needs a store module: the target file gives none (storeModule), so the store cannot be driven directly';
