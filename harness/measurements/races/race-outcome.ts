/**
 * What a forced race did to one store: whether the bad interleaving was
 * produced, and why not when it was not. Data only; raceRows and claimC8
 * judge it.
 */
import type { ProcessRecord } from '../../core/cell-result.ts';
import type { CallbackResult } from '../../deploy/flow/flow-steps.ts';
import type { RaceKind } from './race-kind.ts';
import type { StoreLevelRace } from './store-level-race.ts';

export type { RaceKind };

/**
 * - reproduced: the interleaving was forced and the damage followed;
 * - prevented: the interleaving was attempted and the store kept its promise;
 * - not-applicable: the store shares nothing across these processes, so there is no shared write to race;
 * - no-unguarded-write: the step that should have paused at a file write finished without one;
 * - not-forced: the gate held the process only at writes that are not its session writes (not the
 *   file the tool process stored the state in), so the interleaving the race needs never happened:
 *   no verdict;
 * - harness-error: the harness could not drive the race (the detail says why).
 */
export type RaceStatus = 'reproduced' | 'prevented' | 'not-applicable' | 'no-unguarded-write' | 'not-forced' | 'harness-error';

export interface GatedWrite {
  pid: number;
  n: number;
  /** The held process's role in the deployment. */
  role?: ProcessRecord['role'];
  /** The fs call and the path it was about to write, as the preload saw them. */
  call?: string;
  path?: string;
}

export interface RaceOutcome {
  kind: RaceKind;
  store: string;
  status: RaceStatus;
  /** One sentence on what happened, with the messages users saw. */
  detail: string;
  /** The session writes the gate held, in the order they were held. */
  held: GatedWrite[];
  /** Where the tool process stored the raced flow's state: the files the gate's journal saw it write meanwhile. */
  sessionFiles?: string[];
  /** Writes the gate stopped at that were not session writes, let go at once. */
  passedThrough?: GatedWrite[];
  /** Each delivered callback, labelled (e.g. "flow 2 via callback#123"). */
  callbacks: { label: string; result: CallbackResult }[];
  processes: ProcessRecord[];
  durationMs: number;
  /**
   * For 'no-unguarded-write': the same race forced at the store's own level
   * (its lock, its server), or why it cannot apply; absent when no such probe
   * exists for the store.
   */
  storeLevel?: StoreLevelRace;
}

export interface RaceResult {
  quick: boolean;
  outcomes: RaceOutcome[];
}
