/**
 * The results document: one JSON file per run, the single source REPORT.md
 * and the summary table are rendered from. Its schema is in the README;
 * change both together.
 */
import type { CheckerVerdict } from '../checkers/checker.ts';
import type { ChartArtifact, ClaimRow, ReliabilityRow } from '../measure/measure-context.ts';
import type { MeasurementRecord } from '../measure/measurement.ts';
import type { StoreGrading } from '../grading/grade-stores.ts';
import type { ExpectationDetails, Observed } from '../checkers/expectation.ts';
import type { FlowSummary } from '../checkers/flow-outcomes.ts';
import type { ProcessRecord } from '../topology/deployment.ts';
import type { Expectation } from '../scenario/scenario.ts';

export const RESULTS_SCHEMA_VERSION = 1;

export interface CellResult {
  scenario: string;
  store: string;
  topology: string;
  flows: number;
  stateLookups: FlowSummary['stateLookups'];
  tokenExchanges: FlowSummary['tokenExchanges'];
  tokenHandoffs: FlowSummary['tokenHandoffs'];
  errors: FlowSummary['errors'];
  processes: ProcessRecord[];
  latencyMs: FlowSummary['latencyMs'];
  expected: Expectation;
  observed: Observed | null;
  /** true: observed matches expected; false: it does not; 'unknown': the checker could not judge. */
  matched: true | false | 'unknown';
  checkers: CheckerVerdict<ExpectationDetails | unknown>[];
  /** Set when the harness itself failed (a process would not start): the cell was not judged. */
  harnessError?: string;
  durationMs: number;
  historyFile: string;
}

export interface RunEnvironment {
  commit: string;
  dirty: boolean;
  date: string;
  node: string;
  os: string;
  cpu: string;
  cpus: number;
  command: string;
}

export interface ResultsDocument {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  target: string;
  runDir: string;
  environment: RunEnvironment;
  wallMs: number;
  cells: CellResult[];
  /** Stores left out of this run, and why (redis-server not installed, say). */
  skipped: { stores: string[]; why: string }[];
  /** The write-up's claims C1–C9, each with a verdict computed from this run. */
  claims: ClaimRow[];
  /** Faults, hostile input, provider faults and security checks: one row per case. */
  reliability: ReliabilityRow[];
  charts: ChartArtifact[];
  /** "Which fix to ship": every store graded from this run, and the recommendations computed from the grades. */
  grading: StoreGrading | null;
  /** Raw data of every measurement, or its error. */
  measurements: MeasurementRecord[];
  verdict: {
    /** Every cell matched its expectation. */
    allMatched: boolean;
    matched: number;
    mismatched: number;
    unknown: number;
    harnessErrors: number;
    /** Measurements that crashed: their rows are 'unknown'. */
    measurementErrors: number;
  };
}
