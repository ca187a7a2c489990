/**
 * C8, "100% success rate", judged from the concurrency levels and the
 * forced races. Pure. The claim is the write-up's, so its store (json-file)
 * is judged; the other stores' figures ride along.
 *
 * - does not hold: flows fail even one at a time;
 * - holds only under stated conditions: one at a time they all pass, but
 *   overlapping flows fail, or a forced interleaving loses a session or lets
 *   one state be used twice (each condition found is stated);
 * - holds: every level passed, every level reached the overlap it is named
 *   for (overlap.ts: n state windows in flight, starts and callbacks
 *   interleaved), and neither race could be produced; a level that fell
 *   short of its overlap says so in the figure and leaves the verdict
 *   unknown, since "100% at n at once" was then not measured at n at once.
 */
import type { ClaimRow } from '../measure-context.ts';
import type { RaceOutcome, RaceResult } from '../races/race-outcome.ts';
import type { ConcurrencyLevelResult, ConcurrencyResult, ConcurrencyStoreResult } from './concurrency-result.ts';

const pct = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value * 1000) / 10}%`);
const levelsOf = (s: ConcurrencyStoreResult) => s.levels.map((l) => l.concurrency).join(' / ');

/** Levels whose overlap was not the one they are named for, or was not measured. */
const shortOfOverlap = (s: ConcurrencyStoreResult) => s.levels.filter((l) => !l.overlap?.nominalReached);

function overlapFigure(s: ConcurrencyStoreResult): string {
  const each = s.levels.map((l) => (l.overlap ? `${l.overlap.maxInFlight}/${l.overlap.medianInFlight}, ${l.overlap.callbacksDuringOtherStarts}/${l.overlap.callbacks}` : 'not measured'));
  const short = shortOfOverlap(s);
  return (
    `overlap (state windows in flight, max/median over the level's time; callbacks during another flow's start_oauth): ${each.join('; ')}` +
    (short.length ? `; ${short.map((l) => `${l.concurrency} at once`).join(', ')} did not reach its nominal overlap` : '')
  );
}

function storeFigure(s: ConcurrencyStoreResult): string {
  return (
    `${s.store}: state lookups ${s.levels.map((l) => pct(l.stateLookupRate)).join(' / ')}, ` +
    `whole flows ${s.levels.map((l) => pct(l.flowRate)).join(' / ')} at ${levelsOf(s)} at once ` +
    // A whole flow's hand-off is attributed to its own sign-in, superseded by an overlapping flow's (one user, one token slot), or failed.
    `(hand-offs attributed / superseded / failed: ${s.levels.map((l) => `${l.tokenHandoffs.ok}/${l.tokenHandoffs.superseded}/${l.tokenHandoffs.failed}`).join(', ')}; ` +
    `${overlapFigure(s)})`
  );
}

const RACE_WORDS: Record<RaceOutcome['kind'], string> = { 'lost-update': 'forced lost update', 'double-use': 'forced double use' };

const RACE_STATUS_WORDS: Partial<Record<RaceOutcome['status'], string>> = {
  'no-unguarded-write': 'not reproducible (no unguarded write)',
  'not-forced': 'not forced (held at no session write)',
};

function raceFigure(outcome: RaceOutcome): string {
  return `${RACE_WORDS[outcome.kind]}: ${RACE_STATUS_WORDS[outcome.status] ?? outcome.status.replace('-', ' ')}`;
}

const below = (l: ConcurrencyLevelResult) => l.flowRate < 1 || (l.stateLookupRate ?? 0) < 1;

export function claimC8(concurrency: ConcurrencyResult, races: RaceResult, store = 'json-file'): ClaimRow {
  const base = {
    id: 'C8',
    claim: '"100% success rate vs previous failures"',
    measured: `whole flows through two processes (split-process) at ${concurrency.stores.find((s) => s.levels.length > 0)?.levels.map((l) => l.concurrency).join(', ') ?? 'no'} flows at once (n workers each running whole flows back to back, so starts and callbacks interleave; the overlap reached is measured from the history), state lookups and token hand-offs; the lost update and the double use forced with a write gate preloaded into the processes, held only at the store's own session writes (store judged: ${store})`,
    command: concurrency.quick ? 'npm run repro' : 'npm run bench',
    quick: concurrency.quick,
    reads: { stores: [store] },
  };
  const judged = concurrency.stores.find((s) => s.store === store);
  const raceOutcomes = races.outcomes.filter((o) => o.store === store);
  if (!judged || judged.error || judged.levels.length === 0) {
    return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: judged?.error ?? `store ${store} was not measured under concurrency` };
  }
  const levels = [...judged.levels].sort((a, b) => a.concurrency - b.concurrency);
  const figure = [
    storeFigure(judged),
    ...raceOutcomes.map(raceFigure),
    ...concurrency.stores.filter((s) => s !== judged && s.levels.length > 0).map(storeFigure),
  ].join('; ');
  const flows = concurrency.stores.map((s) => `${s.levels.reduce((sum, l) => sum + l.flows, 0)} flows (${s.store}: ${s.levels.map((l) => `${l.flows}@${l.concurrency}`).join(', ')})`);
  const samples = [...flows, `${races.outcomes.length} forced races`].join(', ');

  const single = levels[0]!;
  if (single.concurrency === 1 && below(single)) return { ...base, figure, samples, verdict: 'does not hold' };
  const conditions: string[] = [];
  const failing = levels.filter(below);
  if (failing.length > 0) {
    conditions.push(
      `flows never overlap (at ${failing.map((l) => `${l.concurrency} at once ${l.passed}/${l.flows} passed`).join(', ')})`,
    );
  }
  const reproduced = raceOutcomes.filter((o) => o.status === 'reproduced');
  if (reproduced.some((o) => o.kind === 'lost-update')) conditions.push("no two processes rewrite the session file at once (forced: one process's rewrite dropped another's freshly stored state)");
  if (reproduced.some((o) => o.kind === 'double-use')) conditions.push('each callback URL arrives once (forced: two callback processes both accepted the same state)');
  if (conditions.length === 0) {
    const unjudged = raceOutcomes.filter((o) => o.status === 'harness-error' || o.status === 'not-applicable' || o.status === 'not-forced');
    if (unjudged.length > 0 || raceOutcomes.length < 2) {
      return { ...base, figure, samples, verdict: 'unknown', conditions: `every level passed, but the forced races could not be judged (${unjudged.map((o) => `${o.kind}: ${o.detail}`).join('; ') || 'not run'})` };
    }
    const short = shortOfOverlap(judged);
    if (short.length > 0) {
      const how = short.map((l) => (l.overlap ? `${l.concurrency} at once: ${l.overlap.maxInFlight} windows in flight at most, ${l.overlap.callbacksDuringOtherStarts} of ${l.overlap.callbacks} callbacks during another flow's start_oauth` : `${l.concurrency} at once: overlap not measured`));
      return { ...base, figure, samples, verdict: 'unknown', conditions: `every level passed, but not every level overlapped as named, so 100% at that many at once was not measured (${how.join('; ')})` };
    }
    return { ...base, figure, samples, verdict: 'holds' };
  }
  return { ...base, figure, samples, verdict: 'holds only under stated conditions', conditions: conditions.join('; ') };
}
