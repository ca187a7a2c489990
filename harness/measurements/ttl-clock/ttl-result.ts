/**
 * What the C6 measurement found for each store, as data. claimC6 judges it.
 */
import type { ProcessRecord } from '../../core/cell-result.ts';
import type { TopologyName } from '../../core/topologies.ts';
import type { TtlProbe } from './flow-across.ts';

export interface CleanupRound {
  puts: number;
  /** Top-level entries of the session file after the round's puts (JSON object files only). */
  sessionsInFile?: number;
  /** How many of this measurement's own live states the file held. */
  ownStatesInFile: number;
  bytes: number;
}

export type CleanupResult =
  | { observable: false; reason: string }
  | {
      observable: true;
      file: string;
      /** Virtual time between rounds: each round's sessions are expired when the next begins. */
      advancedMsBetweenRounds: number;
      rounds: CleanupRound[];
      /** After the last round's clock move, before anything else is stored: what the file still holds. */
      beforeCleanupPut: { expiredStillInFile: number; bytes: number };
      /** After the last round, the clock moved on again and one more session was stored. */
      afterCleanupPut: { expiredStillInFile: number; expiredTotal: number; freshInFile: boolean; sessionsInFile?: number; bytes: number };
    };

export interface FutureTimestampResult {
  /** How far ahead the tool process's clock was when it stored the two sessions. */
  aheadMs: number;
  /** A session stored just before by a correct clock: still in the file after the skewed process's put (file stores). */
  liveSessionSurvivedSkewedPut?: boolean;
  /** The future session still in the file 20 min later, after a put by a correct clock (file stores). */
  heldAfter20Min?: boolean;
  /** Its callback 20 min later (by the shared clock). */
  callbackAfter20Min: TtlProbe;
  /** The other future session, once the clock has passed its timestamp by 16 min, after a put (file stores). */
  heldPastTimestampPlusTtl?: boolean;
  /** Its callback then. */
  callbackPastTimestampPlusTtl: TtlProbe;
}

export type SkewResult = { applicable: true; cases: TtlProbe[] } | { applicable: false; reason: string };

export interface TtlStoreResult {
  store: string;
  topology?: TopologyName;
  /** Why the topology is not split-process, when it is not. */
  topologyReason?: string;
  processes: ProcessRecord[];
  baseline?: TtlProbe;
  boundary?: { before: TtlProbe; after: TtlProbe };
  skew?: SkewResult;
  cleanup?: CleanupResult;
  futureTimestamp?: FutureTimestampResult;
  error?: string;
  durationMs: number;
}

export interface TtlResult {
  quick: boolean;
  /** The TTL the write-up claims. */
  ttlMs: number;
  /**
   * The write-up's own text for a lost or expired state, for a reader to set
   * beside the target's words. No verdict compares a page with it: a server
   * refuses in its own words (probe-verdict.ts).
   */
  expectedMessage: string;
  stores: TtlStoreResult[];
}
