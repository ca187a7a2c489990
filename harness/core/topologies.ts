/**
 * Process topologies, as data: which processes run, and which simulated host
 * (its own TMPDIR and HOME) each runs on.
 */
export const TOPOLOGIES = {
  /** Tool and callback handlers in one process: the case where a static Map does work. */
  'single-process': { callbackInToolProcess: true, callbackHost: 'a' },
  /** Two processes on one host sharing /tmp: the write-up's case. */
  'split-process': { callbackInToolProcess: false, callbackHost: 'a' },
  /** Two processes, each with its own TMPDIR and HOME: two containers. */
  isolated: { callbackInToolProcess: false, callbackHost: 'b' },
} as const;

export type TopologyName = keyof typeof TOPOLOGIES;

export const TOPOLOGY_NAMES = Object.keys(TOPOLOGIES) as TopologyName[];
