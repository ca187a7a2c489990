/**
 * What a scenario file declares: data only. The harness reads it, runs it
 * against every store it lists, and compares what it observed with what the
 * scenario expected. A mismatch is what fails a run.
 */
import type { TopologyName } from '../topology/topologies.ts';

/** Where a flow can stop: the order in which a user meets them. */
export const STAGES = ['start', 'authorize', 'state-lookup', 'token-exchange', 'token-handoff'] as const;
export type Stage = (typeof STAGES)[number];

export type Expectation =
  | { outcome: 'pass' }
  /**
   * Every flow fails at this stage; with `message`, the user sees exactly it;
   * `why` says why the failure is expected (shown in the report).
   */
  | { outcome: 'fail'; stage: Stage; message?: string; why?: string };

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
  /** Keyed by store name; the stores listed are the ones the scenario runs. */
  expect: Record<string, Expectation>;
}
