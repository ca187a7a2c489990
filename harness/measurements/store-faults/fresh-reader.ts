/**
 * After a fault, a fresh driver process opens each store folder and looks
 * every session up through the store itself: what a restarted callback
 * process would find. One process reads many folders, in order, so a
 * hundred kill points cost one extra process, not a hundred.
 */
import type { CheckValue, DriverOp } from './driver-protocol.ts';
import { driveStore, folderFor, type FaultContext } from './fault-context.ts';
import { outcomeOf, type DriverRun } from './run-driver.ts';

export interface ReadTarget {
  id: string;
  sessionFile: string;
  indices: readonly number[];
  /** Also ask the store how many sessions it holds. */
  count?: boolean;
}

export interface ReadResult {
  found: number[];
  wrongVerifier: number[];
  count?: number;
  /** The store threw, or the reader died before getting here. */
  error?: string;
}

export async function readInFreshProcess(
  ctx: FaultContext,
  name: string,
  seed: string,
  targets: readonly ReadTarget[],
): Promise<{ results: Map<string, ReadResult>; run: DriverRun }> {
  const ops: DriverOp[] = [];
  const where = new Map<string, { check: number; count?: number }>();
  for (const target of targets) {
    ops.push({ f: 'open', sessionFile: target.sessionFile });
    const check = ops.push({ f: 'check', indices: [...target.indices] }) - 1;
    const count = target.count ? ops.push({ f: 'count' }) - 1 : undefined;
    where.set(target.id, { check, count });
  }
  const run = await driveStore(ctx, name, { seed, ops, workDir: folderFor(ctx, 'readers'), timeoutMs: 120_000 });
  const results = new Map<string, ReadResult>();
  for (const target of targets) {
    const at = where.get(target.id)!;
    const check = outcomeOf(run, at.check);
    const count = at.count === undefined ? undefined : outcomeOf(run, at.count);
    const result: ReadResult = { found: [], wrongVerifier: [] };
    if (check?.type === 'ok') Object.assign(result, check.value as CheckValue);
    else result.error = check?.type === 'fail' ? check.error.message : `the reader process ended before reading it (exit ${run.exit.code ?? run.exit.signal})`;
    if (count?.type === 'ok') result.count = count.value as number;
    else if (count?.type === 'fail') result.error ??= count.error.message;
    results.set(target.id, result);
  }
  return { results, run };
}
