/**
 * harness/results/: the results document (results.json), the one source the report is rendered from.
 *
 * The results document: one JSON file per run, the single source REPORT.md
 * and the summary table are rendered from. Its schema is in the README;
 * change both together.
 */
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import type { WriteUpStores } from '../measurements/write-up-stores.ts';
import type { ChartArtifact, ClaimRow, ReliabilityRow } from '../measurements/measure-context.ts';
import type { MeasurementRecord } from '../measurements/measurement.ts';
import type { StoreGrading } from '../grading/grade-stores.ts';
import type { CellResult } from '../core/cell-result.ts';
import type { RowExpectation } from './row-expectations.ts';
import type { GateVerdict } from './gate-verdict.ts';
import type { HarnessIncident } from './harness-incidents.ts';

export type { CellResult };

export const RESULTS_SCHEMA_VERSION = 1;

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

/** Wall time of each phase of a run, in ms; they follow one another, so they add up to about wallMs. */
export interface RunPhases {
  setupMs: number;
  tableMs: number;
  /** 0 when the run had no measurements (--scenarios-only). */
  measurementsMs: number;
  /** Stopping Chromium, the mocks, redis and every process left. */
  teardownMs: number;
}

export interface ResultsDocument {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  /** The target's name (from its target file). */
  target: string;
  /** The target file and the version of what it describes (git commit of its checkout, or its package version). */
  targetSource: { file: string; version?: string };
  /** Who the target signs in with: the provider profile the run's mock played. Absent in older documents and remote-only runs: Atlassian. */
  provider?: string;
  /** How simulated hosts were isolated: a private /tmp per host (mount namespaces), or TMPDIR and HOME only (with the caveat). */
  isolation: { mode: 'mount-namespace' | 'env-only'; detail: string; caveat?: string };
  runDir: string;
  environment: RunEnvironment;
  wallMs: number;
  /**
   * Where wallMs went, phase by phase: setup (redis, the mock, the target's
   * build, the preflight, Chromium), the scenario table, the measurements,
   * teardown.
   * Absent in documents written before it was recorded.
   */
  phases?: RunPhases;
  cells: CellResult[];
  /** The remote table (remote scenario × store), when the target describes a remote server and remote scenarios ran. */
  remoteCells?: RemoteCellResult[];
  /** Stores left out of this run, and why (redis-server not installed, say). */
  skipped: { stores: string[]; why: string }[];
  /** Which of the target's stores the claims judged as the write-up's memory and file designs (and why one is missing). Absent in older documents: the write-up's names. */
  writeUpStores?: WriteUpStores;
  /** The write-up's claims C1–C9, each with a verdict computed from this run. */
  claims: ClaimRow[];
  /** Faults, hostile input, provider faults and security checks: one row per case. */
  reliability: ReliabilityRow[];
  charts: ChartArtifact[];
  /** "Which fix to ship": every store graded from this run, and the recommendations computed from the grades. */
  grading: StoreGrading | null;
  /** Raw data of every measurement, or its error. */
  measurements: MeasurementRecord[];
  /** Requests to the mock Atlassian servers that no handler answered (a strict mock answers them 500); unread: mocks whose stats could not be read. */
  mockUnhandledRequests: { count: number; examples: string[]; unread?: number };
  /**
   * The CI gate, added by the CLI: what each reliability and security row ×
   * store is expected to show (computed by rowExpectations), and what the
   * chosen --fail-on groups made of the run. Absent in documents written
   * before the gate existed.
   */
  gate?: {
    expectations: RowExpectation[];
    verdict: GateVerdict;
    /** The verdict baseline the run was compared with (its path), the differences counted, the entries it did not cover, and whether this run wrote it (--update-baseline). */
    baseline?: { file: string; differences: number; notCompared: number; written?: boolean };
  };
  /** The harness's own trouble in this run, one entry per incident (added by the CLI with the gate; see harness-incidents.ts). */
  harnessIncidents?: HarnessIncident[];
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
