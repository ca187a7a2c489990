/**
 * harness/measurements/races/: the lost update and the double use, forced by the write gate.
 *
 * C8's deterministic half: for each store, one split-process deployment
 * with the write gate, the forced lost update (flows 1 and 2), then the
 * forced double use (flow 3, with a second callback process). Works for any
 * store: one that writes no gated file is recorded as such, never waited on,
 * and then raced at its own level where a probe exists (store-level-races.ts).
 */
import { inPool } from '../../core/in-pool.ts';
import { describeError } from '../../core/harness-error.ts';
import { START_RETRY } from '../../core/retry.ts';
import { retryLabel } from '../../deploy/deployment.ts';
import type { MeasureContext } from '../measure-context.ts';
import { forceDoubleUse } from './double-use.ts';
import { forceLostUpdate } from './lost-update.ts';
import { startRaceDeployment } from './race-deployment.ts';
import { storeLevelRace } from './store-level-races.ts';
import type { RaceOutcome, RaceResult } from './race-outcome.ts';
import { raceTimingsFor, type RaceTimings } from './timing.ts';

/**
 * Stores are raced two at a time: most of a race is waiting (for a held
 * write, or out a lock's deadline), and each store has its own deployment
 * and its own files, so one store's race cannot reach another's.
 */
export async function measureRaces(ctx: MeasureContext, timings: RaceTimings = raceTimingsFor(ctx.pace), parallel = 2): Promise<RaceResult> {
  // inPool hands the results back in the stores' order, whatever order they finished in.
  const perStore = await inPool(ctx.stores, parallel, (store) => raceStore(ctx, store, timings));
  return { quick: ctx.quick, outcomes: perStore.flat() };
}

/**
 * A race whose harness side failed (its processes would not start, a held
 * write never reached the gate in time on a busy machine) says nothing of
 * the store: it is run again on fresh processes, a bounded number of times.
 */
async function raceStore(ctx: MeasureContext, store: string, timings: RaceTimings): Promise<RaceOutcome[]> {
  let outcomes: RaceOutcome[] = [];
  for (let attempt = 1; attempt <= START_RETRY.attempts; attempt++) {
    outcomes = await raceStoreOnce(ctx, store, timings, retryLabel(`c8-races.${store}`, attempt));
    const failed = outcomes.filter((o) => o.status === 'harness-error');
    if (failed.length === 0 || attempt === START_RETRY.attempts) break;
    ctx.onProgress?.(`c8-races.${store}: harness error (${failed.map((o) => `${o.kind}: ${o.detail.split('\n')[0]}`).join('; ')}); racing again on fresh processes`);
  }
  return outcomes;
}

async function raceStoreOnce(ctx: MeasureContext, store: string, timings: RaceTimings, label: string): Promise<RaceOutcome[]> {
  const outcomes: RaceOutcome[] = [];
  ctx.onProgress?.(`${label}: forcing the lost update and the double use`);
  let race;
  try {
    race = await startRaceDeployment(ctx, store, label);
  } catch (error) {
    const detail = `could not start the processes: ${describeError(error)}`;
    for (const kind of ['lost-update', 'double-use'] as const) {
      outcomes.push({ kind, store, status: 'harness-error', detail, held: [], callbacks: [], processes: [], durationMs: 0 });
    }
    return outcomes;
  }
  try {
    outcomes.push(await forceLostUpdate(race, ctx.target, store, timings));
    outcomes.push(await forceDoubleUse(race, ctx, store, label, { flow: 3, timings }));
  } finally {
    await race.stop();
  }
  // Writes the gate cannot see (native code, a server) are raced at the store's own level instead.
  for (const outcome of outcomes.filter((o) => o.status === 'no-unguarded-write')) {
    ctx.onProgress?.(`${label}: ${outcome.kind} at the store's own level`);
    const level = await storeLevelRace(ctx, store, outcome.kind);
    if (level) outcome.storeLevel = level;
  }
  for (const outcome of outcomes) ctx.onProgress?.(`${label}: ${outcome.kind} ${outcome.status}`);
  return outcomes;
}
