/** What the remote TTL measurement records: per store, three flows through two replicas on one virtual clock, each summed up from its hops. */
import type { FlowOutcome } from '../../core/remote-vocabulary.ts';

export interface RemoteTtlProbe {
  /** Virtual time the clock moved while the user was at the provider (0: the baseline, no move). */
  advanceMs: number;
  /** Whether the flow reached the point where the clock moves (its authorize hop answered); always false for the baseline. */
  clockMoved: boolean;
  /**
   * Real time from the authorize request's send to the provider callback's answer: the pending authorization's age at its
   * lookup lies between `advanceMs` and `advanceMs + realSpanMs`. Absent when the flow never got that far.
   */
  realSpanMs?: number;
  outcome: FlowOutcome;
  /** The replica that answered the authorize hop, where the pending authorization was made. */
  madeOn?: string;
  /** The provider callback, where the pending authorization is looked up: its answer and the replica that gave it. Absent when the flow never came back from the provider. */
  callback?: { status?: number; replica?: string; errorText?: string };
  clientError?: string;
}

export interface RemoteTtlStore {
  store: string;
  baseline?: RemoteTtlProbe;
  before?: RemoteTtlProbe;
  after?: RemoteTtlProbe;
  harnessError?: string;
}

export interface RemoteTtlResult {
  quick: boolean;
  replicas: number;
  policy: string;
  hosts: 'shared';
  /** The TTL the write-up claims, that the two probes straddle. */
  ttlMs: number;
  stores: RemoteTtlStore[];
}
