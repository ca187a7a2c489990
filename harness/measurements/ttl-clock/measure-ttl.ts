/**
 * C6, "15min TTL", measured through real processes on a virtual clock: for
 * each store, the boundary (14:59 / 15:01), clock skew between tool and
 * callback processes, cleanup of expired sessions, and a session stamped in
 * the future. Split-process first (the write-up's case); a store whose
 * callback process cannot see the tool process's sessions at all is measured
 * with both in one process instead, and the result says so.
 */
import { REJECTED_AS_INVALID_STATE } from '../../core/expectations.ts';
import { performance } from 'node:perf_hooks';
import type { MeasureContext } from '../measure-context.ts';
import { flowAcross } from './flow-across.ts';
import { accepted } from './probe-verdict.ts';
import { startClockDeployment, type ClockDeployment } from './clock-deployment.ts';
import { probeBoundary, TTL_MS } from './ttl-boundary.ts';
import { FULL_CLEANUP, probeCleanup, QUICK_CLEANUP } from './ttl-cleanup.ts';
import { probeFutureTimestamp } from './ttl-future-timestamp.ts';
import type { TtlResult, TtlStoreResult } from './ttl-result.ts';
import { probeSkew } from './ttl-skew.ts';

async function measureStore(ctx: MeasureContext, store: string): Promise<TtlStoreResult> {
  const begun = performance.now();
  const result: TtlStoreResult = { store, processes: [], durationMs: 0 };
  let cd: ClockDeployment | undefined;
  try {
    cd = await startClockDeployment(ctx, store, 'split-process', `c6-ttl.${store}`);
    result.baseline = await flowAcross(cd, ctx.target, 0);
    if (!accepted(result.baseline)) {
      result.processes.push(...cd.deployment.processes);
      await cd.stop();
      const why = result.baseline.callback?.message ?? 'the flow did not reach the callback';
      result.topologyReason = `in split-process the callback process could not find the state the tool process stored (${why}), so the TTL is measured with tool and callback in one process`;
      cd = await startClockDeployment(ctx, store, 'single-process', `c6-ttl-single.${store}`);
      result.baseline = await flowAcross(cd, ctx.target, 0);
    }
    result.topology = cd.topology;
    ctx.onProgress?.(`c6-ttl.${store}: ${cd.topology}, boundary`);
    result.boundary = await probeBoundary(cd, ctx.target);
    result.skew = await probeSkew(cd, ctx.target);
    ctx.onProgress?.(`c6-ttl.${store}: cleanup and future timestamps`);
    result.cleanup = await probeCleanup(cd, ctx.target, ctx.quick ? QUICK_CLEANUP : FULL_CLEANUP);
    result.futureTimestamp = await probeFutureTimestamp(cd, ctx.target);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (cd) {
      result.processes.push(...cd.deployment.processes);
      await cd.stop();
    }
    result.durationMs = Math.round(performance.now() - begun);
  }
  return result;
}

export async function measureTtl(ctx: MeasureContext): Promise<TtlResult> {
  const stores: TtlStoreResult[] = [];
  for (const store of ctx.stores) stores.push(await measureStore(ctx, store));
  return { quick: ctx.quick, ttlMs: TTL_MS, expectedMessage: REJECTED_AS_INVALID_STATE.message, stores };
}
