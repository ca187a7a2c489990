/**
 * What one remote scenario × store cell produced: each flow's outcome as
 * judged from its hops, what was done to the replicas, and the scenario's
 * expectation checked against it (remote-cell-verdict.ts).
 */
import type { BalancerPolicy } from './remote-vocabulary.ts';
import type { FlowOutcome, LostState, ProviderConsent, RemoteUserAgent } from './remote-vocabulary.ts';
import type { ReplicaOperation } from './remote-vocabulary.ts';
import type { RemoteExpectation } from './remote-scenario.ts';

export interface RemoteFlowRecord {
  /** From 1. */
  flow: number;
  outcome: FlowOutcome;
  /** Requests the flow made, and which replicas served them. */
  hops: number;
  replicas: string[];
  /** A request of the flow's MCP session reached a replica other than the one whose initialize made the session. */
  sessionStrayed?: true;
  durationMs: number;
  /** What the client side ended on when it did not complete (the SDK's error). */
  clientError?: string;
  userAgent: RemoteUserAgent;
  consent?: ProviderConsent;
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

/** The official MCP conformance suite's server scenarios, run through a balancer in front of this cell's replicas. */
export interface RemoteConformance {
  version: string;
  /** Whose bearer token the balancer added: the last completed flow's, or none (no flow completed, so every request is unauthorized). */
  bearer: string;
  scenarios: { name: string; outcome: 'pass' | 'fail' | 'error'; detail?: string }[];
  durationMs: number;
  /** Against the expected failures: the one-replica cell's failures (the server's own gaps) where this cell's flows are expected to complete; every scenario where they are expected to break. */
  judged?: { expectedFrom: string; expectedFailures: number; unexpectedFail: string[]; unexpectedPass: string[]; matched: boolean };
  /** This cell is the single-replica control: its failures are the server's own gaps, what the other cells are read against. */
  control?: true;
  /** The suite could not run here (not installed, no network for its install, ...). */
  notRun?: string;
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
  /** When this cell ran the conformance suite (one store per remote scenario does). */
  conformance?: RemoteConformance;
  harnessError?: string;
  durationMs: number;
  historyFile: string;
}
