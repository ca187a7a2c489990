/**
 * The words the remote table shares across layers: what a flow can lose,
 * the balancing policies a scenario names, and what is done to replicas.
 */

/** What a remote flow lost, by the first hop that failed for a reason of its own (flow-outcome.ts judges it). */
export const LOST_STATES = ['registration', 'authorize-state', 'code', 'token', 'session', 'other'] as const;
export type LostState = (typeof LOST_STATES)[number];

/**
 * roundrobin: each request to the next replica.
 * source: a hash of the client's address (on loopback every client is 127.0.0.1, so one replica takes all).
 * sticky-cookie: round-robin, and the balancer inserts a cookie naming the replica; a client that sends it back stays.
 * session-header-hash: a consistent hash of the Mcp-Session-Id request header; without it, round-robin.
 * session-affinity: round-robin, and the balancer learns each Mcp-Session-Id from the response that created it and
 *   sends the session's later requests to that replica (what a hash cannot do: it picks by the id, not by its maker).
 */
export const BALANCER_POLICIES = ['roundrobin', 'source', 'sticky-cookie', 'session-header-hash', 'session-affinity'] as const;
export type BalancerPolicy = (typeof BALANCER_POLICIES)[number];

/** Something done to the replicas during a run, for the history. */
export interface ReplicaOperation {
  op: 'start' | 'stop' | 'add';
  replica: string;
  pid?: number;
  /** ms since the deployment started. */
  atMs: number;
}

/** What a request was for, in the order a whole flow makes them. */
export const HOP_KINDS = [
  'resource-metadata',
  'as-metadata',
  'registration',
  'authorize',
  'provider-callback',
  /** The browser's last hop: the server's redirect arriving at the harness's own loopback redirect URI. */
  'redirect-uri',
  'token',
  'initialize',
  'tool-call',
  'other',
] as const;

export type HopKind = (typeof HOP_KINDS)[number];

/** Who played the user's browser in a remote flow: a real Chromium, or the harness's HTTP user agent. */
export type RemoteUserAgent = 'chromium' | 'http';

/**
 * What the user met at the provider: its consent page and the button clicked, or no page (the provider's
 * consent knob 'automatic'). Absent from a flow that never reached the provider.
 */
export type ProviderConsent = 'page, accepted' | 'page, denied' | 'automatic';

/** How a remote flow ended, judged from its hops (flow-outcome.ts). */
export type FlowOutcome =
  | { outcome: 'completed' }
  | {
      outcome: 'broken';
      lost: LostState;
      /** The hop that failed. */
      hop: number;
      kind: HopKind;
      status?: number;
      /** The replica where the state was looked for (the failing hop's; for the redirect URI, the one that sent the browser there). */
      replica?: string;
      /** The replica where that state had been created, when a hop shows it. */
      createdOn?: string;
      errorText?: string;
    }
  | { outcome: 'incomplete'; reason: string };
