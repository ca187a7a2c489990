/**
 * What every measurement beyond the scenario table (claims, faults, hostile
 * input, store grading) receives, and the rows it hands back for REPORT.md.
 * A measurement returns data; verdicts are computed from that data by pure
 * functions, never typed by hand.
 */
import type { DeploymentPool, PoolContext } from '../deploy/deployment-pool.ts';
import type { LineChartInput } from './chart-spec.ts';

/** The run as a measurement sees it: the same fields a deployment pool needs, and the pool of its sequence when it is in one. */
export interface MeasureContext extends PoolContext {
  /** The deployments shared by the measurements of one sequence (measurement.ts), stopped by the runner after the last. */
  sequencePool?: DeploymentPool;
}

/** The command that reproduces a figure: the quick run or the bench. */
export const reproCommand = (quick: boolean) => (quick ? 'npm run repro' : 'npm run bench');

export type ClaimVerdict = 'holds' | 'does not hold' | 'holds only under stated conditions' | 'unknown';

/** One row of the claims table (C1–C9). */
export interface ClaimRow {
  id: string;
  claim: string;
  /** What was measured, in words. */
  measured: string;
  /** The figure with its unit, e.g. "612 B per session on disk (×3.1 the claim)". */
  figure: string;
  /** Sample count behind the figure, e.g. "3 sizes × 10,000 sessions". */
  samples: string;
  verdict: ClaimVerdict;
  /** For 'holds only under stated conditions': the conditions. For 'unknown': why. */
  conditions?: string;
  /** The command that reproduces the figure. */
  command: string;
  /** true when the figure came from the quick version inside `npm run repro`. */
  quick: boolean;
  /** Which evidence the verdict rests on, from the measurement that produced it. */
  evidence?: ClaimEvidence;
  /**
   * What else the verdict is read from: scenario cells of the table, and
   * other claims' verdicts (a condition one of them measured). A run that
   * left one of them out cannot judge the claim as a complete run would.
   */
  reads?: ClaimReads;
}

export interface ClaimReads {
  cells?: readonly { scenario: string; store: string }[];
  /** Stores its measurement judges it on (the write-up's file store, say). */
  stores?: readonly string[];
  claims?: readonly string[];
}

/**
 * The evidence behind a claim's verdict: what this run measured for it,
 * and, when this run was the quick one, what `npm run bench` adds (absent
 * when the bench measures nothing more for that claim).
 */
export interface ClaimEvidence {
  /** The run that measured it: the quick one inside `npm run repro`, or the bench. */
  run: 'quick' | 'bench';
  used: string;
  benchAdds?: string;
}

/**
 * What one case did for one store. Only 'pass' and 'fail' are verdicts and
 * enter the tallies: a case that cannot apply to the store is 'n/a' (the
 * detail says why), a fact reported without a verdict (a design choice, not
 * a defect) is 'recorded', a case the harness could not judge is
 * 'unknown', and a case that never ran because of the harness's own trouble
 * (its deployment would not start, even after retries) is 'harness-error':
 * that says nothing of the target and is counted against the run, not the
 * store. None of the four counts as a pass anywhere.
 */
export type CaseOutcome = 'pass' | 'fail' | 'unknown' | 'n/a' | 'recorded' | 'harness-error';

/** One row of "Reliability and security": one case, what each store did. */
export interface ReliabilityRow {
  /** Stable id, e.g. "crash-mid-write". */
  id: string;
  /** 'browser': judged once per target in a real Chromium (the page is the server's), so it is no store's case. */
  group: 'fault' | 'hostile-input' | 'provider-fault' | 'security' | 'browser';
  what: string;
  perStore: Record<string, { outcome: CaseOutcome; detail: string }>;
  command: string;
}

/** A chart for REPORT.md: its data, and the SVG file the report draws it into. */
export interface ChartArtifact {
  id: string;
  title: string;
  /** Path relative to the report's chart base (charts/<id>.svg). */
  file: string;
  input: LineChartInput;
}
