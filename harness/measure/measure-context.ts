/**
 * What every measurement beyond the scenario table (claims, faults, hostile
 * input, store grading) receives, and the rows it hands back for REPORT.md.
 * A measurement returns data; verdicts are computed from that data by pure
 * functions, never typed by hand.
 */
import type { MockAtlassian } from '../mock/mock-atlassian.ts';
import type { RunFolder } from '../run/run-folder.ts';
import type { TargetDescription } from '../target/target-description.ts';

export interface MeasureContext {
  run: RunFolder;
  /** The run's mock Atlassian server (one per run, shared by every measurement). */
  mock: MockAtlassian;
  target: TargetDescription;
  /** Stores to measure (a subset of target.stores). */
  stores: string[];
  /** true inside `npm run repro` (seconds), false inside `npm run bench` (minutes). */
  quick: boolean;
  onProgress?: (message: string) => void;
}

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
}

export type CaseOutcome = 'pass' | 'fail' | 'unknown';

/** One row of "Reliability and security": one case, what each store did. */
export interface ReliabilityRow {
  /** Stable id, e.g. "crash-mid-write". */
  id: string;
  group: 'fault' | 'hostile-input' | 'provider-fault' | 'security';
  what: string;
  perStore: Record<string, { outcome: CaseOutcome; detail: string }>;
  command: string;
}

/** A chart for REPORT.md: an SVG file written into the run folder and copied next to REPORT.md. */
export interface ChartArtifact {
  id: string;
  title: string;
  /** Path relative to the project root once copied (e.g. report/charts/c7-per-op-latency.svg). */
  file: string;
}
