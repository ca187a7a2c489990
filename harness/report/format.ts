/** Small formatters shared by the terminal table and REPORT.md. */
import type { CellResult } from '../core/cell-result.ts';
import type { Expectation } from '../core/scenario.ts';

/** Milliseconds as seconds with one decimal ("142.2 s"). */
/** Text for one cell of a markdown table: a pipe would end the cell, a newline the row. */
export const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const ms = (value: number | undefined) => (value === undefined ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));

export function describeExpectation(expectation: Expectation): string {
  return expectation.outcome === 'pass' ? 'pass' : `fail at ${expectation.stage}`;
}

export function describeObserved(cell: CellResult): string {
  if (cell.harnessError) return 'harness error';
  if (!cell.observed) return 'unknown';
  if (cell.observed.outcome !== 'pass') return `fail at ${cell.observed.stage}`;
  // A pass says what it could not see: a hand-off nobody could attribute is not a proven one.
  const { notObservable = 0, superseded = 0 } = cell.tokenHandoffs;
  const caveats = [notObservable ? 'token hand-off not observable' : '', superseded ? `${superseded} hand-off(s) superseded by an overlapping flow` : ''].filter(Boolean);
  return caveats.length ? `pass (${caveats.join('; ')})` : 'pass';
}

export function matchMark(cell: CellResult): string {
  if (cell.harnessError) return 'HARNESS ERROR';
  if (cell.matched === 'unknown') return 'unknown';
  return cell.matched ? 'as expected' : 'MISMATCH';
}

export function pids(cell: CellResult): string {
  return cell.processes.map((p) => `${p.role} ${p.pid}`).join(', ') || '–';
}

export function errorsLine(cell: CellResult): string {
  if (cell.harnessError) return cell.harnessError.split('\n')[0] ?? '';
  return cell.errors.map((error) => `${error.count}× ${error.message}`).join('; ') || '–';
}

export function verdictLine(matched: number, total: number, mismatched: number, harnessErrors: number, unknown: number): string {
  if (harnessErrors > 0) return `HARNESS FAILED: ${harnessErrors} of ${total} cells could not run; see the run's logs.`;
  if (mismatched > 0 || unknown > 0) {
    return `MISMATCH: ${mismatched} of ${total} scenario × store cells did not behave as expected${unknown ? ` (${unknown} could not be judged)` : ''}.`;
  }
  return `REPRODUCED: all ${matched} scenario × store cells behaved as expected.`;
}

/** A warning line when the strict mock saw requests it has no handler for (Atlassian would not answer them either). */
export function unhandledRequestsLine(unhandled: { count: number; examples: string[]; unread?: number } | undefined): string | undefined {
  if (!unhandled) return undefined;
  const unread = unhandled.unread ? ` (stats of ${unhandled.unread} mock(s) could not be read)` : '';
  if (unhandled.count === 0) return unhandled.unread ? `mock Atlassian: unhandled requests unknown${unread}` : undefined;
  return `FLAGGED: the mock Atlassian server got ${unhandled.count} request(s) it has no handler for (answered 500), e.g. ${unhandled.examples.join('; ')}${unread}`;
}

const PROVIDER_LABELS: Readonly<Record<string, string>> = { atlassian: 'Atlassian', github: 'GitHub', google: 'Google', gitlab: 'GitLab', microsoft: 'Microsoft', oidc: 'a generic OpenID provider' };

/** Which server this run diagnosed, from which target file, at which version, signing in with which provider (the mock's profile). */
export function targetLine(document: { target: string; targetSource?: { file: string; version?: string }; provider?: string }): string {
  const source = document.targetSource;
  const provider = document.provider ? `, signing in with ${PROVIDER_LABELS[document.provider] ?? document.provider} (the mock's ${document.provider} profile)` : '';
  return `Target: ${document.target}${source ? ` (${source.file}${source.version ? `, ${source.version}` : ''})` : ''}${provider}`;
}
