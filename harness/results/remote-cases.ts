/**
 * A remote cell in words, for the gate (gate-verdict.ts makes its cases),
 * the baseline and the report: its id among all scenarios (`remote/<name>`),
 * its outcome as the stable phrase the baseline keeps (pass, fail at <what
 * was lost>), where the first flow broke, and the evidence behind it.
 */
import { describeRemoteObserved, describeLost } from '../core/checkers/remote-cell-verdict.ts';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import type { RemoteExpectation } from '../core/remote-scenario.ts';

export const remoteScenarioId = (name: string) => `remote/${name}`;

export const describeRemoteExpected = (expected: RemoteExpectation) =>
  expected.outcome === 'pass' ? 'pass' : expected.outcome === 'as-routed' ? 'as routed: fail at session where it reached another replica' : `fail at ${expected.lost.join(' or ')}`;

/**
 * The outcome a baseline keeps: the phrase, or 'harness error' for a cell the harness could not run. A cell that
 * broke as its routing predicted says only that: how many of its flows the balancer happened to send astray is
 * chance, and would change the phrase from run to run (the count stays in the cell's completed column).
 */
export function remoteCellOutcome(cell: RemoteCellResult): string {
  if (cell.harnessError) return 'harness error';
  if (cell.expected.outcome === 'as-routed' && cell.matched === true) return 'as routed';
  return describeRemoteObserved(cell);
}

/** "flow 1, hop 4 authorize → 400 on a (made on b): invalid_client". */
export function describeFirstBreak(cell: Pick<RemoteCellResult, 'firstBreak'>): string | undefined {
  const at = cell.firstBreak;
  if (!at) return undefined;
  const said = at.errorText ? `: ${plainText(at.errorText).slice(0, 120)}` : '';
  return `flow ${at.flow}, hop ${at.hop} ${at.kind}${at.status !== undefined ? ` → ${at.status}` : ''}${at.replica ? ` on ${at.replica}` : ''}${at.createdOn ? ` (made on ${at.createdOn})` : ''}${said}`;
}

/** A server's error body as a person reads it: tags and runs of blanks gone. */
function plainText(text: string): string {
  return text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function remoteCellEvidence(cell: RemoteCellResult): string {
  const first = describeFirstBreak(cell);
  return [
    `expected ${describeRemoteExpected(cell.expected)}, observed ${remoteCellOutcome(cell)}${cell.reason ? ` (${cell.reason})` : ''}`,
    `${cell.replicas} replica(s), ${cell.policy}, hosts ${cell.hosts}; ${cell.completed}/${cell.flows.length} flows completed${Object.keys(cell.lost).length ? `, broken: ${describeLost(cell.lost)}` : ''}`,
    ...(first ? [`first break: ${first}`] : []),
    ...(cell.operations.some((op) => op.op !== 'start' || op.atMs > 0) ? [`replicas: ${cell.operations.map((op) => `${op.op} ${op.replica}${op.pid ? ` (pid ${op.pid})` : ''} at ${op.atMs} ms`).join(', ')}`] : []),
    ...(cell.harnessError ? [`harness error: ${cell.harnessError}`] : []),
    `history: ${cell.historyFile}`,
  ].join('\n');
}
