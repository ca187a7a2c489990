/** What the remote load measurement publishes: per store, per level of flows at once through two replicas, how many completed. */
import type { LostState } from '../../core/remote-vocabulary.ts';

export interface RemoteLoadLevel {
  /** Flows in flight at once. */
  concurrency: number;
  flows: number;
  completed: number;
  /** Flows broken, by what they lost; flows that ended on the harness's side are counted apart. */
  lost: Partial<Record<LostState, number>>;
  incomplete: number;
  /** Median wall time of a completed flow. */
  p50Ms?: number;
}

export interface RemoteLoadResult {
  quick: boolean;
  replicas: number;
  policy: string;
  hosts: 'shared';
  stores: { store: string; levels: RemoteLoadLevel[]; harnessError?: string }[];
}
