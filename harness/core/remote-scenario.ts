/**
 * What a remote scenario file declares: data only. Replicas of a remote
 * server behind a balancer with a policy, on hosts of their own or one
 * shared host, the flows run through the balancer one after another, and
 * events (a rolling restart, a replica added) at named points of a flow.
 * Every store of the target runs it; its expectation comes from its reach.
 */
import type { BalancerPolicy } from './remote-vocabulary.ts';
import type { LostState } from './remote-vocabulary.ts';
import type { StoreReach } from './store-profile.ts';

export type RemoteExpectation =
  | { outcome: 'pass' }
  /**
   * No flow completes, and every flow breaks where the state it needed was not there: at one of `lost`
   * (the hops that can lose it first, in the order a flow meets them). `why` is shown in the report.
   */
  | { outcome: 'fail'; lost: readonly LostState[]; why?: string }
  /**
   * Each flow as the balancer routed it: a flow whose MCP session's requests all reached the replica whose
   * initialize made the session completes; one where a request of its session reached another replica breaks
   * there, at `session`. For a balancer that picks by something the server chose at random (a hash of the
   * session id), where how many flows break is chance but which ones is not.
   */
  | { outcome: 'as-routed'; why?: string };

/** Where an event happens: in flow `flow` (from 1; absent: in every flow), after the named hop has answered, before the next request to the server. */
export type FlowPoint = { flow?: number; after: 'authorize' | 'initialize' };

export type RemoteEvent =
  /** Every replica stopped and started again, one after another (a rolling deploy), on the same host and ports. */
  | { kind: 'rolling-restart'; at: FlowPoint }
  /** One more replica started (on its own host, or the shared one) and added to the balancer at runtime. */
  | { kind: 'add-replica'; at: FlowPoint };

export interface RemoteScenario {
  name: string;
  /** One sentence: what this models and why it matters. */
  description: string;
  /** Replicas at the start. */
  replicas: number;
  policy: BalancerPolicy;
  /** `own`: each replica a simulated host of its own (its own /tmp); `shared`: every replica on one host. */
  hosts: 'own' | 'shared';
  /** Flows run through the balancer one after another, each a new MCP client (its own registration). */
  flows: number;
  events: readonly RemoteEvent[];
  /** By the reach of the store, for a server that authorizes (a proxy, an authorization server); `resource`: the same for a resource server, which keeps only its MCP sessions. */
  expect: Record<StoreReach, RemoteExpectation> & { resource: Record<StoreReach, RemoteExpectation>; stores?: Readonly<Record<string, RemoteExpectation>> };
}
