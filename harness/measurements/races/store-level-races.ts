/**
 * Which store gets which store-level race, when the write gate saw no write
 * to hold. The forcing depends on the store's own machinery (SQLite's write
 * lock, a Redis server's write pause), so it is chosen by src/'s store kind;
 * the probes open src/'s store modules, so they run only when the target is
 * src/ itself. Any other store keeps "n/a" with the reason.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { History } from '../../core/history.ts';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { RaceKind } from './race-kind.ts';
import { forceRedisRace } from './redis-pause-race.ts';
import { forceSqliteRace } from './sqlite-lock-race.ts';
import type { StoreLevelRace } from './store-level-race.ts';

type Plan = { force: (kind: RaceKind, ctx: Pick<MeasureContext, 'run'>, history: History) => Promise<StoreLevelRace> } | { notApplicable: string };

const PLANS: Readonly<Record<string, Partial<Record<RaceKind, Plan>>>> = {
  sqlite: {
    'lost-update': { force: (kind, ctx, history) => forceSqliteRace(kind, { dir: path.join(ctx.run.dir, 'races'), logDir: ctx.run.logDir, history }) },
    'double-use': { force: (kind, ctx, history) => forceSqliteRace(kind, { dir: path.join(ctx.run.dir, 'races'), logDir: ctx.run.logDir, history }) },
  },
  redis: {
    'lost-update': { force: (kind, ctx, history) => forceRedisRace(kind, { logDir: ctx.run.logDir, history }) },
    'double-use': { force: (kind, ctx, history) => forceRedisRace(kind, { logDir: ctx.run.logDir, history }) },
  },
  'sealed-state': {
    'lost-update': { notApplicable: "the session travels inside its own state: there is no shared record another process's write could drop" },
  },
};

const targetIsSrc = (ctx: Pick<MeasureContext, 'target'>) => path.resolve(ctx.target.cwd) === path.resolve(PROJECT_ROOT);

/** The store-level race for store × kind, or undefined when none applies (the row then says n/a). */
export async function storeLevelRace(ctx: Pick<MeasureContext, 'run' | 'target'>, store: string, kind: RaceKind): Promise<StoreLevelRace | undefined> {
  const plan = targetIsSrc(ctx) ? PLANS[store]?.[kind] : undefined;
  if (!plan) return undefined;
  if ('notApplicable' in plan) return { kind, store, status: 'not-applicable', forcedBy: '', held: 0, detail: plan.notApplicable, durationMs: 0 };
  const begun = performance.now();
  // The nemesis's operations go in the run's history folder, beside the other races'.
  const historyFile = path.join(ctx.run.dir, 'history', `store-race-${store}-${kind}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history = new History(historyFile);
  try {
    return await plan.force(kind, ctx, history);
  } catch (error) {
    // A probe that crashes gives unknown with the error, never a pass.
    return { kind, store, status: 'harness-error', forcedBy: '', held: 0, detail: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - begun) };
  } finally {
    await history.close();
  }
}
