/** The terminal summary printed at the end of `npm run repro`. */
import type { ResultsDocument } from '../results/results-document.ts';
import { describeTally, tallyCases } from '../measurements/case-tally.ts';
import { describeExpectation, describeObserved, errorsLine, matchMark, ms, pids, seconds, targetLine, unhandledRequestsLine, verdictLine } from './format.ts';
import { phasesLine } from './render-run-time.ts';
import { describeFirstBreak, describeRemoteExpected, remoteCellOutcome } from '../results/remote-cases.ts';

export function renderSummaryTable(document: ResultsDocument): string {
  const header = ['scenario', 'store', 'expected', 'observed', 'verdict', 'flows', 'lookups ok/fail', 'hand-off ok/fail', 'p50/p95 ms', 'pids', 'errors'];
  const rows = document.cells.map((cell) => [
    cell.scenario,
    cell.store,
    describeExpectation(cell.expected),
    describeObserved(cell),
    matchMark(cell),
    String(cell.flows),
    `${cell.stateLookups.ok}/${cell.stateLookups.failed}`,
    `${cell.tokenHandoffs.ok}/${cell.tokenHandoffs.failed}`,
    `${ms(cell.latencyMs.p50)}/${ms(cell.latencyMs.p95)}`,
    pids(cell),
    errorsLine(cell).slice(0, 120),
  ]);
  const line = aligned(header, rows);
  const { verdict } = document;
  const claims = document.claims.map((claim) => `  ${claim.id.padEnd(3)} ${claim.verdict.padEnd(34)} ${claim.figure.slice(0, 110)}`);
  const reliabilityStores = [...new Set(document.reliability.flatMap((row) => Object.keys(row.perStore)))];
  const reliability = reliabilityStores.map((store) => {
    const tally = tallyCases(document.reliability, store);
    const failed = tally.failedIds;
    return `  ${store.padEnd(13)} ${describeTally(tally)} passed${failed.length ? `; failed: ${failed.join(', ').slice(0, 110)}` : ''}`;
  });
  const phases = phasesLine(document);
  const crashed = document.measurements.filter((record) => record.error).map((record) => `  ${record.id}: ${record.error?.split('\n')[0]}`);
  const remote = remoteRows(document);
  return [
    ...(rows.length ? [line(header), line(header.map((name, column) => '-'.repeat(Math.max(name.length, ...rows.map((row) => row[column]!.length))))), ...rows.map(line)] : []),
    ...(remote.length ? ['', 'Remote server, replicas behind a balancer:', ...remote] : []),
    ...(claims.length ? ['', "The write-up's claims:", ...claims] : []),
    ...(reliability.length ? ['', 'Reliability and security cases:', ...reliability] : []),
    ...(crashed.length ? ['', 'Measurements that could not run:', ...crashed] : []),
    ...(document.grading ? ['', 'Which fix to ship:', ...document.grading.recommendations.map((r) => `  ${r.scope.padEnd(16)} ${r.store ?? 'none'}: ${r.why.slice(0, 150)}`)] : []),
    '',
    verdictLine(verdict.matched, document.cells.length + (document.remoteCells?.length ?? 0), verdict.mismatched, verdict.harnessErrors, verdict.unknown),
    ...[unhandledRequestsLine(document.mockUnhandledRequests), document.isolation?.caveat ? `CAVEAT: ${document.isolation.caveat}` : undefined].filter((line): line is string => line !== undefined),
    targetLine(document),
    `wall time ${seconds(document.wallMs)}${phases ? ` (${phases})` : ''}; results, history and logs in ${document.runDir}`,
  ].join('\n');
}

/** A function that pads each column of `rows` (and `header`) to its widest. */
function aligned(header: string[], rows: string[][]): (row: string[]) => string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  return (row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
}

function remoteRows(document: ResultsDocument): string[] {
  const cells = document.remoteCells ?? [];
  if (!cells.length) return [];
  const header = ['remote scenario', 'store', 'expected', 'observed', 'verdict', 'completed', 'first break'];
  const rows = cells.map((cell) => [
    cell.scenario,
    cell.store,
    describeRemoteExpected(cell.expected),
    remoteCellOutcome(cell),
    cell.harnessError ? 'HARNESS ERROR' : cell.matched === true ? 'ok' : cell.matched === false ? 'MISMATCH' : 'unknown',
    `${cell.completed}/${cell.flows.length}`,
    (describeFirstBreak(cell) ?? (cell.matched !== true ? (cell.reason ?? '') : '')).slice(0, 110),
  ]);
  const line = aligned(header, rows);
  return [line(header), ...rows.map(line)];
}
