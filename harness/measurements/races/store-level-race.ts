/**
 * The forced races at a store's own level, for stores whose writes the
 * write gate cannot see (SQLite writes from native code, Redis is a server):
 * without them, "the race could not be reproduced" would be a pass that
 * could not have failed.
 *
 * The nemesis holds the store's own write path (SQLite's write lock, Redis's
 * writes paused) while two clients of the store, each with its own
 * connection, start the operations of the race; then lets both go at once.
 * A store whose take reads before it removes, or whose put rewrites what it
 * read, gives itself away exactly as json-file does under the write gate.
 *
 * Data and pure judges here; sqlite-lock-race.ts and redis-pause-race.ts
 * force the interleaving.
 */
import type { RaceKind } from './race-kind.ts';

/** not-applicable: the race has nothing to act on in this store (the detail says why). */
export type StoreLevelStatus = 'reproduced' | 'prevented' | 'not-forced' | 'not-applicable' | 'harness-error';

export interface StoreLevelRace {
  kind: RaceKind;
  store: string;
  status: StoreLevelStatus;
  /** How the interleaving was forced, in words, for the row's detail. */
  forcedBy: string;
  /** How many of the two operations were still waiting when the nemesis let go (2: the race was forced). */
  held: number;
  detail: string;
  durationMs: number;
}

/** What the two clients saw and what the store held afterwards. */
export interface DoubleUseObservation {
  /** Did each take return the session? undefined: the operation failed (its error is in `errors`). */
  found: [boolean | undefined, boolean | undefined];
  errors: string[];
  held: number;
}

export interface LostUpdateObservation {
  /** Client 1's take of the stored state S1 returned it. */
  takeFound: boolean | undefined;
  /** Client 2's put of S2 was acknowledged. */
  putAcknowledged: boolean;
  /** Afterwards, read in a fresh connection: is S2 there, is S1 still there? */
  putStateAfter: boolean;
  takenStateAfter: boolean;
  errors: string[];
  held: number;
}

const heldText = (held: number) => (held === 2 ? 'both operations were held and let go together' : `only ${held} of 2 operations were held`);

export function judgeStoreLevelDoubleUse(seen: DoubleUseObservation): { status: StoreLevelStatus; detail: string } {
  const [a, b] = seen.found;
  const words = (found: boolean | undefined) => (found === undefined ? 'failed' : found ? 'got the session' : 'found nothing');
  const told = `first client ${words(a)}, second ${words(b)}${seen.errors.length ? ` (${seen.errors.join('; ')})` : ''}`;
  if (a === undefined || b === undefined) return { status: 'harness-error', detail: `a take failed: ${told}` };
  if (a && b) return { status: 'reproduced', detail: `both takes returned the session (${heldText(seen.held)}): ${told}` };
  if (!a && !b) return { status: 'harness-error', detail: `neither take found the session that was stored: ${told}` };
  if (seen.held < 2) return { status: 'not-forced', detail: `${heldText(seen.held)}, so the race was not forced: ${told}` };
  return { status: 'prevented', detail: `exactly one take returned the session although ${heldText(seen.held)}: ${told}` };
}

export function judgeStoreLevelLostUpdate(seen: LostUpdateObservation): { status: StoreLevelStatus; detail: string } {
  const told =
    `take of S1 ${seen.takeFound === undefined ? 'failed' : seen.takeFound ? 'returned it' : 'found nothing'}, put of S2 ${seen.putAcknowledged ? 'acknowledged' : 'failed'}; ` +
    `afterwards S2 ${seen.putStateAfter ? 'present' : 'MISSING'}, S1 ${seen.takenStateAfter ? 'STILL THERE' : 'gone'}` +
    (seen.errors.length ? ` (${seen.errors.join('; ')})` : '');
  if (seen.takeFound === undefined || !seen.putAcknowledged) return { status: 'harness-error', detail: `an operation failed: ${told}` };
  if (!seen.takeFound) return { status: 'harness-error', detail: `the take did not find the state that was stored: ${told}` };
  // Either write undid the other: the acknowledged put lost, or the consumed state back.
  if (!seen.putStateAfter || seen.takenStateAfter) {
    return { status: 'reproduced', detail: `one client's write undid the other's (${heldText(seen.held)}): ${told}` };
  }
  if (seen.held < 2) return { status: 'not-forced', detail: `${heldText(seen.held)}, so the race was not forced: ${told}` };
  return { status: 'prevented', detail: `neither write undid the other although ${heldText(seen.held)}: ${told}` };
}
