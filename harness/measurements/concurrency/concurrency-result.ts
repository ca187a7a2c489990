/** What C8's concurrency measurement found, per store and level. Data only. */
import type { FlowSummary, HandoffTally, Tally } from '../../core/checkers/flow-outcomes.ts';
import type { ProcessRecord } from '../../core/cell-result.ts';
import type { OverlapFigures } from './overlap.ts';

/** How much the level's flows overlapped (overlap.ts defines each figure), and whether that is the overlap the level is named for. */
export interface LevelOverlap extends OverlapFigures {
  nominalReached: boolean;
}

export interface ConcurrencyLevelResult {
  concurrency: number;
  flows: number;
  /** Flows whose token reached the tool process (start, lookup, exchange and hand-off all ok). */
  passed: number;
  stateLookups: Tally;
  tokenExchanges: Tally;
  tokenHandoffs: HandoffTally;
  /** ok / (ok + failed) of the state lookups that happened; undefined when none happened. */
  stateLookupRate?: number;
  /** ok / (ok + failed) of the token hand-offs that happened (flows whose callback succeeded). */
  tokenHandoffRate?: number;
  /** passed / flows: the user's view. */
  flowRate: number;
  errors: FlowSummary['errors'];
  durationMs: number;
  /** The level's history, relative to the run folder. */
  historyFile: string;
  /** Read from the same history; absent in results written before it was measured (then the level's overlap is unknown). */
  overlap?: LevelOverlap;
}

export interface ConcurrencyStoreResult {
  store: string;
  topology: 'split-process';
  processes: ProcessRecord[];
  levels: ConcurrencyLevelResult[];
  error?: string;
  durationMs: number;
}

export interface ConcurrencyResult {
  quick: boolean;
  stores: ConcurrencyStoreResult[];
}
