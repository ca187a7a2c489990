/**
 * The contract of a measurement beyond the scenario table, Jepsen-style:
 * `run` drives the processes and records what happened; `check` is a pure
 * function from that record to the rows the report shows (claims, reliability
 * rows, grade-column cells, charts) and to typed published values
 * (published-values.ts). What a measurement needs of a target is data
 * (`needs`); the runner decides n/a from it in one place. A measurement that
 * throws is recorded with its error and its rows become 'unknown', never a
 * pass.
 *
 * Adding a measurement is one folder (its run, its check, the values it
 * publishes) plus one line in measurement-list.ts.
 */
import type { CellResult } from '../core/cell-result.ts';
import type { GradeCell } from './grade-cell.ts';
import type { ChartSpec } from './chart-spec.ts';
import type { ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';
import type { Need } from './needs.ts';
import type { Published } from './published-values.ts';
import type { WriteUpStores } from './write-up-stores.ts';

/** A column of "Which fix to ship" that a measurement grades every store on. */
export interface GradeColumnSpec {
  name: string;
  /** What the column counts, for the report's explanation. */
  what: string;
  /** Needs more than one host: a one-host store is not ranked on it for "one host". */
  severalHosts?: boolean;
}

/** Everything `check` derives from what `run` recorded. */
export interface Checked {
  claims?: ClaimRow[];
  rows?: ReliabilityRow[];
  /** Per declared column, each store's cell. */
  grades?: Record<string, Record<string, GradeCell>>;
  charts?: ChartSpec[];
  published?: Published;
}

/** What `check` is given besides the record: the run's scenario cells, the stores it measured, and which of them the write-up's claims are about. */
export interface CheckInput {
  cells: readonly CellResult[];
  stores: readonly string[];
  writeUp: WriteUpStores;
}

/** What a claim's evidence is in the quick run, and what the bench adds to it ('' for nothing). */
export interface EvidencePlan {
  quick: string;
  benchAdds: string;
}

export interface MeasurementDefinition<Recorded> {
  id: string;
  /** What the target (or machine) must offer; unmet: every row of this measurement is n/a with that reason. */
  needs?: readonly Need[];
  /** Ids of the claim rows it produces, so a crash or an n/a can still show them. */
  claimIds?: readonly string[];
  /** Grade columns it produces, in the order the report shows them. */
  columns?: readonly GradeColumnSpec[];
  /** Runs alone, before the others: its figures are timings that a busy CPU would distort. */
  exclusive?: boolean;
  /** Gets a mock Atlassian server of its own: it changes the mock's knobs, which would disturb the others. */
  ownMock?: boolean;
  /**
   * Measurements with the same `sequence` run one after another, in list
   * order, on one deployment pool and one mock (`ctx.sequencePool`): a later
   * one reads what the earlier ones left (security reads the logs hostile
   * input produced). Each keeps its own needs, record and rows.
   */
  sequence?: string;
  /**
   * The evidence each of its claims rests on, by claim id, in words: what
   * the quick run (`npm run repro`) measures, and what `npm run bench`
   * measures besides ('' when it measures the same). The claim rows it
   * produces carry it, so the report says for every verdict whether the
   * bench could add to it.
   */
  evidence?: Readonly<Record<string, EvidencePlan>>;
  /** The claim rows it produces may also come from another measurement: a stand-in row is dropped when another measurement produced that claim. */
  standInClaims?: boolean;
  run(ctx: MeasureContext): Promise<Recorded>;
  check(recorded: Recorded, input: CheckInput): Checked;
  /** Revisits its claim rows once every measurement's rows exist (a condition stated by what another claim measured). Pure. */
  refineClaims?(own: readonly ClaimRow[], all: readonly ClaimRow[]): ClaimRow[];
}

/** Types a measurement definition (the recorded type is inferred from `run`). */
export function defineMeasurement<Recorded>(definition: MeasurementDefinition<Recorded>): MeasurementDefinition<Recorded> {
  return definition;
}

/** A definition with its recorded type forgotten, as the list and the runner hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMeasurement = MeasurementDefinition<any>;

export interface GradedColumn extends GradeColumnSpec {
  cells: Record<string, GradeCell>;
}

export interface MeasurementRecord {
  id: string;
  durationMs: number;
  /** When it started, in ms after the measurements phase began (measurements overlap: two run at a time). Absent in older documents. */
  startMs?: number;
  quick: boolean;
  /** What `run` recorded; read only by the measurement's own `check` (and by `npm run render-report`, through it). */
  raw?: unknown;
  /** What `check` published for grading and the report. */
  published?: Published;
  /** Ids of the reliability rows and claims its check produced: a baseline compares them only when the measurement ran. */
  rowIds?: string[];
  claimIds?: string[];
  /** The grade columns it declared, each with every store's cell (placeholders when it did not apply or failed). */
  columns?: GradedColumn[];
  error?: string;
  /** Set when it did not apply to the target, with why (from `needs`): not an error, not a pass. */
  notApplicable?: string;
}
