/**
 * The forced races as rows of "Reliability and security" (group 'fault'):
 * pass when the store kept its promise under the forced interleaving, fail
 * when the damage followed, unknown when the race could not be judged (the
 * store shares nothing across processes, or the harness failed), with why.
 */
import type { CaseOutcome, ReliabilityRow } from '../measure-context.ts';
import type { RaceKind, RaceResult, RaceStatus } from './race-outcome.ts';

const WHAT: Record<RaceKind, string> = {
  'lost-update':
    "Forced lost update: the callback process is held after reading the sessions and before rewriting them; the tool process stores another flow's state meanwhile; does that flow's callback still find its state?",
  'double-use':
    'Forced double use: two callback processes on one host receive the same callback URL and are both held before their first write; does at most one of them accept the state?',
};

const OUTCOME: Record<RaceStatus, CaseOutcome> = {
  reproduced: 'fail',
  prevented: 'pass',
  'no-unguarded-write': 'pass',
  'not-applicable': 'unknown',
  'harness-error': 'unknown',
};

const PREFIX: Record<RaceStatus, string> = {
  reproduced: 'race reproduced',
  prevented: 'race prevented',
  'no-unguarded-write': 'race not reproducible: no unguarded write',
  'not-applicable': 'not applicable across processes',
  'harness-error': 'harness error',
};

export function raceRows(result: RaceResult): ReliabilityRow[] {
  return (['lost-update', 'double-use'] as const).map((kind) => {
    const perStore: ReliabilityRow['perStore'] = {};
    for (const outcome of result.outcomes.filter((o) => o.kind === kind)) {
      const detail = outcome.detail.startsWith(PREFIX[outcome.status]) ? outcome.detail : `${PREFIX[outcome.status]}: ${outcome.detail}`;
      perStore[outcome.store] = { outcome: OUTCOME[outcome.status], detail };
    }
    return { id: `forced-${kind}`, group: 'fault', what: WHAT[kind], perStore, command: 'npm run repro' };
  });
}
