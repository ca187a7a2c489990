/**
 * The judgment a CI gate reads: every scenario cell against its scenario's
 * expectation, every reliability and security row × store against its row
 * expectation, and which of those failures the chosen `--fail-on` groups
 * count. Pure: the same document and expectations always give the same
 * verdict; the CLI turns it into an exit code, JUnit XML and a summary.
 */
import type { CellResult } from '../core/cell-result.ts';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import { remoteCellEvidence, remoteCellOutcome, remoteScenarioId, describeRemoteExpected } from './remote-cases.ts';
import type { Expectation } from '../core/scenario.ts';
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import type { StoreProfile } from '../core/store-profile.ts';
import { rowExpectations, type GateGroup, type KnownFailure, type RowExpectation } from './row-expectations.ts';

/**
 * pass: as expected; fail: an expected pass failed (or a scenario cell did
 * not match); unknown: could not be judged (a crash, a harness error), which
 * a gate never takes for a pass; n/a: the case could not apply; known-failure
 * and unexpected-pass: a known failure seen failing, or passing now;
 * harness-error: the harness's own trouble kept the case from running (its
 * deployment would not start after retries): not the target's failure, and
 * not a pass: the run answers for it with exit code 2 (see exit-code.ts).
 */
export type GateStatus = 'pass' | 'fail' | 'unknown' | 'n/a' | 'known-failure' | 'unexpected-pass' | 'harness-error';

export interface GateCase {
  gateGroup: GateGroup;
  /** The scenario name, or the reliability row's id. */
  id: string;
  store: string;
  /** The row's own group (fault, hostile-input, …), 'scenario', or, against a baseline, a claim, a grading cell or a recommendation. */
  kind: ReliabilityRow['group'] | 'scenario' | 'claim' | 'grade' | 'recommendation';
  expected: string;
  observed: string;
  status: GateStatus;
  /** What was observed, in words: the row's detail, or the cell's errors and checker findings. */
  evidence: string;
  /** Why this expectation (rows), or why a failure is expected (scenario cells that expect one). */
  why?: string;
  /** Judged against the target's verdict baseline (a failure is then a difference from it). */
  baseline?: true;
}

export interface GateVerdict {
  failOn: GateGroup[];
  /** No case of a selected group failed or went unjudged. */
  passed: boolean;
  /** Cases of the selected groups that were judged against an expectation (n/a left out). */
  checked: number;
  /** Cases of the selected groups that failed or could not be judged. */
  failures: GateCase[];
  /** Known failures that passed this time (reported, never gated). */
  unexpectedPasses: GateCase[];
  /** Failures in groups `--fail-on` left out: shown, not counted. */
  notGated: GateCase[];
  /** Cases the harness's own trouble kept from running, in every group: the run's, never the target's. */
  harnessErrors: GateCase[];
}

const describeExpected = (expected: Expectation) => (expected.outcome === 'pass' ? 'pass' : `fail at ${expected.stage}`);

/** A cell's observed outcome in the gate's words: pass, fail at <stage>, unknown, or harness error. */
export function describeCellObserved(cell: CellResult): string {
  if (cell.harnessError) return 'harness error';
  if (!cell.observed) return 'unknown';
  return cell.observed.outcome === 'pass' ? 'pass' : `fail at ${cell.observed.stage}`;
}

function cellEvidence(cell: CellResult): string {
  const parts = [
    `expected ${describeExpected(cell.expected)}${cell.expected.outcome === 'fail' ? ` with "${cell.expected.message}"` : ''}, observed ${describeCellObserved(cell)}${cell.observed?.message ? ` with "${cell.observed.message}"` : ''}`,
    `${cell.flows} flows; state lookups ${cell.stateLookups.ok} ok / ${cell.stateLookups.failed} failed; token exchanges ${cell.tokenExchanges.ok} ok / ${cell.tokenExchanges.failed} failed; hand-offs ${cell.tokenHandoffs.ok} ok / ${cell.tokenHandoffs.failed} failed`,
    ...(cell.harnessError ? [`harness error: ${cell.harnessError}`] : []),
    ...cell.errors.map((error) => `${error.count}× at ${error.stage}: ${error.message}`),
    ...cell.checkers.filter((checker) => checker.valid !== true).map((checker) => `checker ${checker.checker}: ${checker.valid}${checker.error ? ` (${checker.error})` : ''}${checker.details === undefined ? '' : `: ${JSON.stringify(checker.details)}`}`),
    `processes: ${cell.processes.map((p) => `${p.role} ${p.name} pid ${p.pid} on ${p.host}`).join(', ') || 'none'}`,
    `history: ${cell.historyFile}`,
  ];
  return parts.join('\n');
}

export function scenarioCases(cells: readonly CellResult[]): GateCase[] {
  return cells.map((cell) => ({
    gateGroup: 'scenarios',
    id: cell.scenario,
    store: cell.store,
    kind: 'scenario',
    expected: describeExpected(cell.expected),
    observed: describeCellObserved(cell),
    status: cell.harnessError ? 'harness-error' : cell.matched === 'unknown' ? 'unknown' : cell.matched ? 'pass' : 'fail',
    evidence: cellEvidence(cell),
    ...(cell.expected.outcome === 'fail' && cell.expected.why ? { why: cell.expected.why } : {}),
  }));
}

/** The remote table's cells as gate cases, in the scenario group, each id the scenario's under `remote/`. */
export function remoteScenarioCases(cells: readonly RemoteCellResult[]): GateCase[] {
  return cells.map((cell) => ({
    gateGroup: 'scenarios',
    id: remoteScenarioId(cell.scenario),
    store: cell.store,
    kind: 'scenario',
    expected: describeRemoteExpected(cell.expected),
    observed: remoteCellOutcome(cell),
    status: cell.harnessError ? 'harness-error' : cell.matched === 'unknown' ? 'unknown' : cell.matched ? 'pass' : 'fail',
    evidence: remoteCellEvidence(cell),
    ...(cell.expected.outcome === 'fail' && cell.expected.why ? { why: cell.expected.why } : {}),
  }));
}

/** One case per row × store with an expectation; rows × stores without one (recorded facts, the write-up's designs on faults) are left out. */
export function rowCases(rows: readonly ReliabilityRow[], expectations: readonly RowExpectation[]): GateCase[] {
  const cases: GateCase[] = [];
  for (const expectation of expectations) {
    const row = rows.find((r) => r.id === expectation.row);
    const result = row?.perStore[expectation.store];
    if (!row) continue;
    const outcome = result?.outcome ?? 'unknown';
    let status: GateStatus;
    if (outcome === 'n/a') status = 'n/a';
    else if (outcome === 'harness-error') status = 'harness-error';
    else if (outcome === 'unknown' || outcome === 'recorded') status = 'unknown';
    else if (expectation.expected === 'fail') status = outcome === 'fail' ? 'known-failure' : 'unexpected-pass';
    else status = outcome;
    cases.push({
      gateGroup: expectation.gateGroup,
      id: row.id,
      store: expectation.store,
      kind: row.group,
      expected: expectation.expected,
      observed: outcome,
      status,
      evidence: result?.detail ?? 'the row has no result for this store',
      why: expectation.why,
    });
  }
  return cases;
}

export function judgeGate(cases: readonly GateCase[], failOn: readonly GateGroup[]): GateVerdict {
  const selected = (c: GateCase) => failOn.includes(c.gateGroup);
  const bad = (c: GateCase) => c.status === 'fail' || c.status === 'unknown';
  const failures = cases.filter((c) => selected(c) && bad(c));
  return {
    failOn: [...failOn],
    passed: failures.length === 0,
    checked: cases.filter((c) => selected(c) && c.status !== 'n/a' && c.status !== 'harness-error').length,
    failures,
    unexpectedPasses: cases.filter((c) => c.status === 'unexpected-pass'),
    notGated: cases.filter((c) => !selected(c) && bad(c)),
    harnessErrors: cases.filter((c) => c.status === 'harness-error'),
  };
}

/** One line for the terminal and the step summary. */
export function gateLine(verdict: GateVerdict): string {
  const groups = verdict.failOn.join(', ') || 'nothing';
  const head = verdict.passed
    ? `GATE PASSED: ${verdict.checked} cases checked against their expectations (--fail-on ${groups}).`
    : `GATE FAILED: ${verdict.failures.length} of ${verdict.checked} cases did not meet their expectation (--fail-on ${groups}): ${verdict.failures.slice(0, 5).map((c) => `${c.id} × ${c.store} (${c.status === 'unknown' ? 'could not be judged' : `observed ${c.observed}`})`).join(', ')}${verdict.failures.length > 5 ? ', …' : ''}.`;
  const extra = [
    verdict.notGated.length ? `${verdict.notGated.length} failure(s) outside --fail-on not counted` : '',
    verdict.harnessErrors.length ? `${verdict.harnessErrors.length} case(s) not run because of harness errors (not counted)` : '',
    verdict.unexpectedPasses.length ? `${verdict.unexpectedPasses.length} known failure(s) now pass (${verdict.unexpectedPasses.map((c) => `${c.id} × ${c.store}`).join(', ')}): the baseline should say so (--update-baseline)` : '',
  ].filter(Boolean);
  return extra.length ? `${head} ${extra.join('; ')}.` : head;
}

/** The whole judgment of one run: the row expectations (computed from the rows and the stores' profiles), every case, and the verdict. */
export function judgeRun(
  run: { cells: readonly CellResult[]; reliability: readonly ReliabilityRow[]; remoteCells?: readonly RemoteCellResult[] },
  profiles: Readonly<Record<string, StoreProfile>>,
  failOn: readonly GateGroup[],
  known: readonly KnownFailure[] = [],
): { expectations: RowExpectation[]; cases: GateCase[]; verdict: GateVerdict } {
  const expectations = rowExpectations(run.reliability, profiles, known);
  const cases = [...scenarioCases(run.cells), ...remoteScenarioCases(run.remoteCells ?? []), ...rowCases(run.reliability, expectations)];
  return { expectations, cases, verdict: judgeGate(cases, failOn) };
}
