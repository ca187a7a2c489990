/**
 * A remote cell's verdict from its flows' outcomes alone. Pure.
 *
 * - pass expected: every flow completed.
 * - fail expected: no flow completed, and every flow broke at one of the
 *   hops the expectation names (a break elsewhere is another failure).
 * - A flow that ended on the harness's side (incomplete: no hop failed,
 *   yet no tool call answered) cannot be judged: the cell is unknown.
 */
import { LOST_STATES, type LostState } from '../remote-vocabulary.ts';
import type { RemoteBreak, RemoteCellResult, RemoteFlowRecord } from '../remote-cell-result.ts';
import type { RemoteExpectation } from '../remote-scenario.ts';

export type RemoteVerdict = Pick<RemoteCellResult, 'completed' | 'lost' | 'firstBreak' | 'matched' | 'reason'>;

export function remoteCellVerdict(flows: readonly RemoteFlowRecord[], expected: RemoteExpectation): RemoteVerdict {
  const completed = flows.filter((flow) => flow.outcome.outcome === 'completed').length;
  const lost: Partial<Record<LostState, number>> = {};
  let firstBreak: RemoteBreak | undefined;
  for (const { flow, outcome } of flows) {
    if (outcome.outcome !== 'broken') continue;
    lost[outcome.lost] = (lost[outcome.lost] ?? 0) + 1;
    const { outcome: _broken, ...where } = outcome;
    firstBreak ??= { flow, ...where };
  }
  const summary = { completed, lost, ...(firstBreak ? { firstBreak } : {}) };
  const incomplete = flows.find((flow) => flow.outcome.outcome === 'incomplete');
  if (flows.length === 0) return { ...summary, matched: 'unknown', reason: 'no flow ran' };
  if (incomplete && incomplete.outcome.outcome === 'incomplete') {
    return { ...summary, matched: 'unknown', reason: `flow ${incomplete.flow} ended on the harness's side: ${incomplete.outcome.reason}${incomplete.clientError ? ` (${incomplete.clientError})` : ''}` };
  }
  if (expected.outcome === 'pass') {
    return completed === flows.length ? { ...summary, matched: true } : { ...summary, matched: false, reason: `${flows.length - completed} of ${flows.length} flows broke (${describeLost(lost)})` };
  }
  if (expected.outcome === 'as-routed') return { ...summary, ...asRouted(flows) };
  if (completed > 0) return { ...summary, matched: false, reason: `${completed} of ${flows.length} flows completed; expected every flow to break at ${expected.lost.join(' or ')}` };
  const elsewhere = Object.keys(lost).filter((kind) => !expected.lost.includes(kind as LostState));
  if (elsewhere.length > 0) return { ...summary, matched: false, reason: `flows broke at ${describeLost(lost)}; expected ${expected.lost.join(' or ')}` };
  return { ...summary, matched: true };
}

/** Every flow as its routing predicts: completed when its session stayed on its replica, broken at session when it strayed. */
function asRouted(flows: readonly RemoteFlowRecord[]): Pick<RemoteVerdict, 'matched' | 'reason'> {
  for (const { flow, outcome, sessionStrayed } of flows) {
    if (sessionStrayed && !(outcome.outcome === 'broken' && outcome.lost === 'session')) {
      return { matched: false, reason: `flow ${flow}: a request of its session reached another replica, yet it ${outcome.outcome === 'completed' ? 'completed' : `broke at ${outcome.outcome === 'broken' ? outcome.lost : '?'}`}; expected it to break at session` };
    }
    if (!sessionStrayed && outcome.outcome !== 'completed') {
      return { matched: false, reason: `flow ${flow}: its session stayed on one replica, yet it broke at ${outcome.outcome === 'broken' ? outcome.lost : '?'}` };
    }
  }
  return { matched: true };
}

/** "registration ×2, code ×1". */
export function describeLost(lost: Partial<Record<LostState, number>>): string {
  return Object.entries(lost)
    .map(([kind, count]) => `${kind} ×${count}`)
    .join(', ');
}

/** The cell's outcome as one stable phrase (the baseline's and the summary table's): pass, fail at X, or k/N completed. */
export function describeRemoteObserved(cell: Pick<RemoteCellResult, 'completed' | 'flows' | 'lost' | 'matched' | 'harnessError'>): string {
  if (cell.harnessError) return 'harness error';
  const total = cell.flows.length;
  // In the order a flow meets them, so the phrase does not depend on which flow broke first.
  const kinds = LOST_STATES.filter((kind) => cell.lost[kind]).join(', ');
  const incomplete = cell.flows.filter((flow) => flow.outcome.outcome === 'incomplete').length;
  if (incomplete > 0) return `${cell.completed}/${total} completed, ${incomplete} ended on the harness's side${kinds ? `, the rest fail at ${kinds}` : ''}`;
  if (total > 0 && cell.completed === total) return 'pass';
  if (cell.completed === 0 && kinds) return `fail at ${kinds}`;
  return `${cell.completed}/${total} completed${kinds ? `, the rest fail at ${kinds}` : ''}`;
}
