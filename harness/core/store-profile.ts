/**
 * What a store is, as far as the battery cares: how far its sessions reach,
 * and what it needs beyond the process. Scenarios state their expectations
 * by reach, so a target's new store is judged without editing any scenario.
 */

/**
 * `process`: only the process that wrote a session sees it (a static Map).
 * `host`: every process on one host sees it (a file in /tmp, SQLite).
 * `hosts`: processes on different hosts see it (a server, or the session carried in the state).
 */
export const STORE_REACHES = ['process', 'host', 'hosts'] as const;
export type StoreReach = (typeof STORE_REACHES)[number];

export interface StoreProfile {
  reach: StoreReach;
  /** The run starts a redis-server for it (or leaves its rows out, saying why, when none is installed). */
  needsRedis?: boolean;
  /** What it needs beyond the process, in words for the report (a server, a shared key); absent: nothing. */
  needs?: readonly string[];
}
