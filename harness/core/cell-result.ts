/**
 * What one scenario × store cell produced: the flows' tallies read from its
 * history, the processes involved, and the expectation checked against it.
 * Measurements read cells (C1–C4 come from them); the results document
 * holds them.
 */
import type { CheckerVerdict } from './checkers/checker.ts';
import type { ExpectationDetails, Observed } from './checkers/expectation.ts';
import type { FlowSummary } from './checkers/flow-outcomes.ts';
import type { Expectation } from './scenario.ts';

/** One process of a deployment, as the report names it. */
export interface ProcessRecord {
  role: 'tool' | 'callback';
  name: string;
  pid: number;
  host: string;
}

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
  /** Where durationMs went: starting the deployment (with its parts), the workload, stopping every process. */
  timings?: CellTimings;
  historyFile: string;
}

/** Milliseconds per phase of a cell, measured by the harness around each step (performance.now). */
export interface CellTimings {
  startMs: number;
  flowsMs: number;
  stopMs: number;
  /** The parts of startMs: see DeploymentTimings in harness/deploy/deployment.ts. */
  start?: Record<string, number>;
}

