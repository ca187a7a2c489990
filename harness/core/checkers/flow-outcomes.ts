/**
 * Reads every flow's fate out of a history: where it stopped, what the user
 * saw, how long it took. Pure: history in, summary out.
 */
import type { Operation } from '../history.ts';
import type { Stage } from '../scenario.ts';
import { percentile } from './percentile.ts';

export interface FlowFate {
  flow: number;
  passed: boolean;
  /** The first stage that failed, or 'incomplete' when an operation never ended. */
  failedAt?: Stage | 'incomplete';
  error?: string;
  /** From the flow's first invocation to its last completion, whether it passed or not. */
  latencyMs?: number;
  /** How its token hand-off was judged (token-handoff.ts), when it got that far. */
  handoff?: HandoffKind;
}

/**
 * attributed: the tool process showed this flow's own identity. superseded:
 * another flow's, whose callback ended after this one's began (one user, one
 * token slot). not-observable: the target shows no identity. failed: an
 * error, or an older sign-in (a lost token write).
 */
export type HandoffKind = 'attributed' | 'superseded' | 'not-observable' | 'failed';

export interface Tally {
  ok: number;
  failed: number;
}

export interface HandoffTally extends Tally {
  superseded: number;
  notObservable: number;
}

export interface FlowSummary {
  flows: number;
  passed: number;
  stateLookups: Tally;
  tokenExchanges: Tally;
  /** ok: attributed to the flow itself; failed: shown wrong or not at all; the rest neither. */
  tokenHandoffs: HandoffTally;
  errors: { stage: string; message: string; count: number }[];
  latencyMs: { p50?: number; p95?: number; samples: number };
  fates: FlowFate[];
}

const STAGE_OF_OPERATION: Record<string, Stage> = {
  start_oauth: 'start',
  authorize: 'authorize',
  'token-handoff': 'token-handoff',
};

function stageOf(op: Operation): Stage | undefined {
  if (op.f === 'callback') {
    const outcome = (op.value as { outcome?: string } | undefined)?.outcome;
    return op.type === 'fail' && outcome === 'invalid-state' ? 'state-lookup' : 'token-exchange';
  }
  return STAGE_OF_OPERATION[op.f];
}

function handoffKind(op: Operation): HandoffKind {
  if (op.type === 'fail') return 'failed';
  const value = op.value as { handoff?: HandoffKind; observable?: boolean } | undefined;
  if (op.type === 'info' || value?.observable === false) return 'not-observable';
  return value?.handoff ?? 'attributed';
}

export function flowFates(history: readonly Operation[]): FlowFate[] {
  const byFlow = new Map<number, Operation[]>();
  for (const op of history) {
    if (op.flow === undefined) continue;
    const ops = byFlow.get(op.flow) ?? [];
    ops.push(op);
    byFlow.set(op.flow, ops);
  }
  const fates: FlowFate[] = [];
  for (const [flow, ops] of [...byFlow].sort((a, b) => a[0] - b[0])) {
    const latencyMs = Number((ops[ops.length - 1]!.time - ops[0]!.time).toFixed(3));
    const failure = ops.find((op) => op.type === 'fail');
    if (failure) {
      fates.push({ flow, passed: false, failedAt: stageOf(failure), error: failure.error, latencyMs, ...(failure.f === 'token-handoff' ? { handoff: 'failed' as const } : {}) });
      continue;
    }
    const invoked = ops.filter((op) => op.type === 'invoke').length;
    const completed = ops.filter((op) => op.type === 'ok').length;
    const handoff = ops.find((op) => op.f === 'token-handoff' && op.type !== 'invoke');
    if (invoked !== completed || !handoff) {
      fates.push({ flow, passed: false, failedAt: 'incomplete', error: 'an operation never completed' });
      continue;
    }
    fates.push({ flow, passed: true, latencyMs, handoff: handoffKind(handoff) });
  }
  return fates;
}

export function summariseFlows(history: readonly Operation[]): FlowSummary {
  const fates = flowFates(history);
  const callbacks = history.filter((op) => op.f === 'callback' && op.type !== 'invoke');
  const handoffs = history.filter((op) => op.f === 'token-handoff' && op.type !== 'invoke');
  const lookupFailed = callbacks.filter((op) => stageOf(op) === 'state-lookup' && op.type === 'fail').length;
  const exchangeFailed = callbacks.filter((op) => op.type === 'fail').length - lookupFailed;
  const errors = new Map<string, { stage: string; message: string; count: number }>();
  for (const fate of fates) {
    if (fate.passed) continue;
    const key = `${fate.failedAt}\u0000${fate.error}`;
    const entry = errors.get(key) ?? { stage: String(fate.failedAt), message: fate.error ?? '', count: 0 };
    entry.count += 1;
    errors.set(key, entry);
  }
  const latencies = fates.flatMap((fate) => (fate.latencyMs === undefined || fate.failedAt === 'incomplete' ? [] : [fate.latencyMs]));
  return {
    flows: fates.length,
    passed: fates.filter((fate) => fate.passed).length,
    stateLookups: { ok: callbacks.length - lookupFailed, failed: lookupFailed },
    tokenExchanges: { ok: callbacks.filter((op) => op.type === 'ok').length, failed: exchangeFailed },
    tokenHandoffs: {
      ok: handoffs.filter((op) => handoffKind(op) === 'attributed').length,
      failed: handoffs.filter((op) => handoffKind(op) === 'failed').length,
      superseded: handoffs.filter((op) => handoffKind(op) === 'superseded').length,
      notObservable: handoffs.filter((op) => handoffKind(op) === 'not-observable').length,
    },
    errors: [...errors.values()].sort((a, b) => b.count - a.count),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), samples: latencies.length },
    fates,
  };
}
