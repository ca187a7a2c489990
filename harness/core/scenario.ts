/**
 * harness/core/: the vocabulary every layer shares: scenarios and their expectations, topologies, store profiles, the history, its checkers, cell results, the run folder.
 *
 * What a scenario file declares: data only. The harness reads it, runs it
 * against every store of the target, and compares what it observed with what the
 * scenario expected. A mismatch is what fails a run.
 */
import type { StoreReach } from './store-profile.ts';
import type { TopologyName } from './topologies.ts';

/** Where a flow can stop: the order in which a user meets them. */
export const STAGES = ['start', 'authorize', 'state-lookup', 'token-exchange', 'token-handoff'] as const;
export type Stage = (typeof STAGES)[number];

export type Expectation =
  | { outcome: 'pass' }
  /**
   * Every flow fails at this stage; with `message`, the user sees exactly it;
   * `why` says why the failure is expected (shown in the report).
   */
  | { outcome: 'fail'; stage: Stage; message: string; why?: string };

/**
 * Expectations by store reach (every store of every target has one), and
 * optionally for named stores whose behaviour differs from their reach's.
 */
export type ExpectationsByReach = Record<StoreReach, Expectation> & { stores?: Readonly<Record<string, Expectation>> };

export type Fault =
  /** SIGKILL the callback process and start it again on the same port. */
  { kind: 'restart-callback' };

export interface Scenario {
  name: string;
  /** One sentence: what this models and why it matters. */
  description: string;
  topology: TopologyName;
  workload: {
    flows: number;
    /** Flows in flight at once. */
    concurrency: number;
  };
  /** Faults injected after every flow has started and before any callback. */
  faultsBetweenStartAndCallback: Fault[];
  /** Every store of the target runs; its expectation comes from its reach (or a named override). */
  expect: ExpectationsByReach;
  /**
   * Who plays the user: 'http' (default), a scripted HTTP client with a
   * cookie jar; 'browser', a real headless Chromium that clicks through the
   * provider's consent page (`npm run repro -- --browser` does this for
   * every scenario).
   */
  userAgent?: 'http' | 'browser';
}
