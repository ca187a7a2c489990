/**
 * The forced races as rows of "Reliability and security" (group 'fault'):
 * pass when the store kept its promise under a forced interleaving, fail
 * when the damage followed, n/a when the race cannot apply to the store
 * (nothing shared across processes; or no write of it the gate or a
 * store-level probe can hold), unknown when the harness could not judge
 * (the gate held the process only at writes that are not its session
 * writes, or a store-level probe could not force the race).
 *
 * "No unguarded write" is never a pass by itself: a
 * store whose writes the gate cannot see was never raced. Where a
 * store-level probe forced the race (SQLite's write lock, a Redis write
 * pause) its verdict is the row's.
 */
import type { CaseOutcome, ReliabilityRow } from '../measure-context.ts';
import type { RaceKind, RaceOutcome, RaceStatus } from './race-outcome.ts';
import type { StoreLevelRace, StoreLevelStatus } from './store-level-race.ts';

const WHAT: Record<RaceKind, string> = {
  'lost-update':
    "Forced lost update: the callback process is held after reading the sessions and before rewriting them; the tool process stores another flow's state meanwhile; does that flow's callback still find its state? (Stores whose writes the gate cannot hold: the same race forced at the store's own level.)",
  'double-use':
    "Forced double use: two callback processes on one host receive the same callback URL and are both held before their first write; does at most one of them accept the state? (Stores whose writes the gate cannot hold: the same race forced at the store's own level.)",
};

type Cell = { outcome: CaseOutcome; detail: string };

const OUTCOME: Record<Exclude<RaceStatus, 'no-unguarded-write'>, CaseOutcome> = {
  reproduced: 'fail',
  prevented: 'pass',
  'not-applicable': 'n/a',
  // Held only at writes that are not session writes: the race never happened, so it has no verdict.
  'not-forced': 'unknown',
  'harness-error': 'harness-error',
};

const PREFIX: Record<RaceStatus, string> = {
  reproduced: 'race reproduced',
  prevented: 'race prevented',
  'no-unguarded-write': 'no write the gate could hold',
  'not-applicable': 'not applicable across processes',
  'not-forced': 'race not forced',
  'harness-error': 'harness error',
};

const LEVEL_OUTCOME: Record<StoreLevelStatus, CaseOutcome> = {
  reproduced: 'fail',
  prevented: 'pass',
  'not-applicable': 'n/a',
  'not-forced': 'unknown',
  'harness-error': 'harness-error',
};

const LEVEL_PREFIX: Record<StoreLevelStatus, string> = {
  reproduced: "race reproduced at the store's own level",
  prevented: "race prevented at the store's own level",
  'not-applicable': 'not applicable',
  'not-forced': "race not forced at the store's own level",
  'harness-error': "harness error at the store's own level",
};

const prefixed = (prefix: string, detail: string) => (detail.startsWith(prefix) ? detail : `${prefix}: ${detail}`);

function storeLevelCell(level: StoreLevelRace, flowDetail: string): Cell {
  const how = level.forcedBy ? ` (${level.forcedBy})` : '';
  return {
    outcome: LEVEL_OUTCOME[level.status],
    detail: `${prefixed(LEVEL_PREFIX[level.status], level.detail)}${how}; through the processes: ${flowDetail}`,
  };
}

/** One store's cell for one race. Pure. */
export function raceCell(outcome: RaceOutcome): Cell {
  if (outcome.status !== 'no-unguarded-write') return { outcome: OUTCOME[outcome.status], detail: prefixed(PREFIX[outcome.status], outcome.detail) };
  const flowDetail = outcome.detail.replace(/^race not reproducible: no unguarded write[:;]?\s*/, '');
  if (outcome.storeLevel) return storeLevelCell(outcome.storeLevel, `no write the gate could hold (${flowDetail})`);
  return {
    outcome: 'n/a',
    detail: `no write the gate could hold, so nothing was raced: the gate holds file writes made through Node's fs, this store made none (${flowDetail}), and no store-level probe forces the race for it`,
  };
}

export function raceRows(result: { outcomes: readonly RaceOutcome[] }): ReliabilityRow[] {
  return (['lost-update', 'double-use'] as const).map((kind) => {
    const perStore: ReliabilityRow['perStore'] = {};
    for (const outcome of result.outcomes.filter((o) => o.kind === kind)) perStore[outcome.store] = raceCell(outcome);
    return { id: `forced-${kind}`, group: 'fault', what: WHAT[kind], perStore, command: 'npm run repro' };
  });
}
