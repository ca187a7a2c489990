/**
 * What one remote scenario × store cell produced: each flow's outcome as
 * judged from its hops, what was done to the replicas, and the scenario's
 * expectation checked against it (remote-cell-verdict.ts).
 */
import type { BalancerPolicy } from '../deploy/balancer/balancer-description.ts';
import type { FlowOutcome, LostState } from '../deploy/remote/flow-outcome.ts';
import type { ReplicaOperation } from '../deploy/remote/remote-deployment.ts';
import type { RemoteExpectation } from './remote-scenario.ts';

export interface RemoteFlowRecord {
  /** From 1. */
  flow: number;
  outcome: FlowOutcome;
  /** Requests the flow made, and which replicas served them. */
  hops: number;
  replicas: string[];
  durationMs: number;
  /** What the client side ended on when it did not complete (the SDK's error). */
  clientError?: string;
}

/** Where the first flow that broke broke: the hop, what it lost, the replica that looked and the one that had made it. */
export interface RemoteBreak {
  flow: number;
  lost: LostState;
  hop: number;
  kind: string;
  status?: number;
  replica?: string;
  createdOn?: string;
  errorText?: string;
}

export interface RemoteCellResult {
  scenario: string;
  store: string;
  replicas: number;
  policy: BalancerPolicy;
  hosts: 'own' | 'shared';
  flows: RemoteFlowRecord[];
  completed: number;
  /** Flows broken, by what they lost. */
  lost: Partial<Record<LostState, number>>;
  firstBreak?: RemoteBreak;
  expected: RemoteExpectation;
  /** true: as expected; false: not; 'unknown': a flow ended on the harness's side, or the deployment did not start. */
  matched: true | false | 'unknown';
  /** Why it did not match, or could not be judged. */
  reason?: string;
  operations: ReplicaOperation[];
  harnessError?: string;
  durationMs: number;
  historyFile: string;
}
