/** What the remote footprint measurement records: per store, the bytes the replicas' host held before any flow, after the first and after the last. */

/** Everything under the hosts' folders at one moment: total bytes, and each file's size (named by host folder and path). */
export interface DiskReading {
  bytes: number;
  files: Record<string, number>;
}

export interface RemoteFootprintStore {
  store: string;
  /** Flows run one after another, the first included. */
  flows: number;
  completed: number;
  /** How the first flow that did not complete ended, in words. */
  firstBreak?: string;
  disk?: { before: DiskReading; afterFirst: DiskReading; afterAll: DiskReading };
  /** A store whose records a Redis server keeps: the bytes its database's keys take there (MEMORY USAGE), after the first flow and after the last. */
  redisMemory?: { afterFirst: { bytes: number; keys: number }; afterAll: { bytes: number; keys: number } };
  harnessError?: string;
}

export interface RemoteFootprintResult {
  quick: boolean;
  replicas: number;
  policy: string;
  hosts: 'shared';
  stores: RemoteFootprintStore[];
}
