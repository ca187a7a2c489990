/**
 * C6 across replicas for one store, judged from its three flows' hops.
 * Pure.
 *
 * A probe's pending authorization was accepted when the provider callback
 * (where the server looks it up by its state) answered without an error,
 * and refused when it answered with one and the flow did not complete.
 * Whatever words a server refuses with are its own: only the hop's status
 * and where the flow ended are read.
 *
 * - unknown: the baseline (no clock move) did not complete, so nothing
 *   says the store could complete a flow at all (the memory design through
 *   replicas taking turns, say); or a probe did not reach the point it
 *   tests; or 14:59 was accepted and the flow broke later, elsewhere; or
 *   the flow took so long in real time that its state may have been past
 *   15:00 at 14:59.
 * - does not hold: 14:59 refused at the callback, or 15:01 accepted there.
 * - holds: 14:59 completed and 15:01 refused.
 */
import { describeFlowOutcome as describeOutcome } from '../../deploy/remote/flow-outcome.ts';
import { minutes } from '../ttl-clock/clock-text.ts';
import type { RemoteTtlProbe, RemoteTtlStore } from './remote-ttl-result.ts';

export type ProbeReading = { kind: 'accepted'; completed: boolean } | { kind: 'refused' } | { kind: 'unknown'; why: string };

export interface RemoteTtlJudgement {
  verdict: 'holds' | 'does not hold' | 'unknown';
  /** The probes, in words: what each did and on which replicas. */
  figure: string;
  /** For unknown and does not hold: why. */
  why?: string;
}

export function readProbe(probe: RemoteTtlProbe): ProbeReading {
  if (probe.advanceMs > 0 && !probe.clockMoved) return { kind: 'unknown', why: `the flow never reached the provider, so the clock did not move: it ${describeOutcome(probe.outcome)}` };
  const status = probe.callback?.status;
  if (status === undefined) return { kind: 'unknown', why: `no answer from the provider callback: the flow ${describeOutcome(probe.outcome)}` };
  // A flow that completed went ahead with its state, whatever the callback's status said.
  if (status < 400 || probe.outcome.outcome === 'completed') return { kind: 'accepted', completed: probe.outcome.outcome === 'completed' };
  return { kind: 'refused' };
}

/** "14:59: completed (made on a, looked up on b)". */
function describeProbe(probe: RemoteTtlProbe): string {
  const where = [probe.madeOn ? `made on ${probe.madeOn}` : '', probe.callback?.replica ? `looked up on ${probe.callback.replica}` : ''].filter(Boolean).join(', ');
  const reading = readProbe(probe);
  const what =
    reading.kind === 'refused'
      ? `refused at the provider callback (${probe.callback!.status})`
      : reading.kind === 'accepted' && reading.completed
        ? 'completed'
        : describeOutcome(probe.outcome);
  return `${probe.advanceMs ? minutes(probe.advanceMs) : 'baseline'}: ${what}${where ? ` (${where})` : ''}`;
}

export function judgeRemoteTtl(store: RemoteTtlStore, ttlMs: number): RemoteTtlJudgement {
  const { baseline, before, after } = store;
  const figure = [baseline, before, after].filter((probe): probe is RemoteTtlProbe => probe !== undefined).map(describeProbe).join('; ');
  const unknown = (why: string): RemoteTtlJudgement => ({ verdict: 'unknown', figure: figure || '–', why });
  if (store.harnessError) return unknown(`the harness failed: ${store.harnessError}`);
  if (!baseline || !before || !after) return unknown('not every probe ran');
  if (baseline.outcome.outcome !== 'completed') return unknown(`the baseline flow (no clock move) did not complete, so no flow of this store could show the TTL: it ${describeOutcome(baseline.outcome)}`);
  const wrong: string[] = [];
  const unsure: string[] = [];
  const early = readProbe(before);
  const ageBound = before.advanceMs + (before.realSpanMs ?? 0);
  if (ageBound >= ttlMs) unsure.push(`the ${minutes(before.advanceMs)} flow took ${Math.round(before.realSpanMs ?? 0)} ms in real time, so its state may have been past ${minutes(ttlMs)} at the callback`);
  else if (early.kind === 'refused') wrong.push(`refused at ${minutes(before.advanceMs)}, before its ${minutes(ttlMs)}`);
  else if (early.kind === 'unknown') unsure.push(`${minutes(before.advanceMs)}: ${early.why}`);
  else if (!early.completed) unsure.push(`accepted at ${minutes(before.advanceMs)}, then the flow ${describeOutcome(before.outcome)}: not the pending authorization's doing`);
  const late = readProbe(after);
  if (after.advanceMs <= ttlMs) unsure.push(`the late probe is not past ${minutes(ttlMs)}`);
  else if (late.kind === 'accepted') wrong.push(`accepted at ${minutes(after.advanceMs)}: the pending authorization outlived its ${minutes(ttlMs)}`);
  else if (late.kind === 'unknown') unsure.push(`${minutes(after.advanceMs)}: ${late.why}`);
  if (wrong.length) return { verdict: 'does not hold', figure, why: wrong.join('; ') };
  if (unsure.length) return unknown(unsure.join('; '));
  return { verdict: 'holds', figure };
}
