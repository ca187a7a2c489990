/**
 * C8, "100% success rate", under load: for each store, one split-process
 * deployment (the write-up's case), then flows at 1, 4, 16 and 64 at once,
 * each a whole user flow (start_oauth, authorize, callback, token hand-off).
 * Every level has its own history; the figures come from summariseFlows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { summariseFlows } from '../../core/checkers/flow-outcomes.ts';
import { completeFlow, startFlow, type FlowEndpoints } from '../../deploy/flow/drive-flow.ts';
import type { MeasureContext } from '../measure-context.ts';
import { History } from '../../core/history.ts';
import { inPool } from '../../core/in-pool.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { FULL_CONCURRENCY_PLAN, QUICK_CONCURRENCY_PLAN, type ConcurrencyLevelPlan } from './concurrency-plan.ts';
import type { ConcurrencyLevelResult, ConcurrencyResult, ConcurrencyStoreResult } from './concurrency-result.ts';

const rate = (ok: number, failed: number) => (ok + failed === 0 ? undefined : ok / (ok + failed));

async function runLevel(
  ctx: MeasureContext,
  deployment: Deployment,
  label: string,
  level: ConcurrencyLevelPlan,
  firstFlow: number,
): Promise<ConcurrencyLevelResult> {
  const historyFile = path.join(ctx.run.dir, 'history', `${label}.c${level.concurrency}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history = new History(historyFile);
  const endpoints: FlowEndpoints = deployment.endpoints;
  const flows = Array.from({ length: level.flows }, (_, i) => firstFlow + i);
  const begun = performance.now();
  try {
    await inPool(flows, level.concurrency, async (flow) => {
      const started = await startFlow(endpoints, ctx.target, history, flow);
      if (started) await completeFlow(endpoints, ctx.target, history, started, deployment.callbackUrl);
    });
  } finally {
    await history.close();
  }
  const durationMs = Math.round(performance.now() - begun);
  const summary = summariseFlows(history.ops);
  const lookupRate = rate(summary.stateLookups.ok, summary.stateLookups.failed);
  const handoffRate = rate(summary.tokenHandoffs.ok, summary.tokenHandoffs.failed);
  return {
    concurrency: level.concurrency,
    flows: summary.flows,
    passed: summary.passed,
    stateLookups: summary.stateLookups,
    tokenExchanges: summary.tokenExchanges,
    tokenHandoffs: summary.tokenHandoffs,
    ...(lookupRate === undefined ? {} : { stateLookupRate: lookupRate }),
    ...(handoffRate === undefined ? {} : { tokenHandoffRate: handoffRate }),
    flowRate: summary.flows === 0 ? 0 : summary.passed / summary.flows,
    errors: summary.errors,
    durationMs,
    historyFile: path.relative(ctx.run.dir, historyFile),
  };
}

async function measureStore(ctx: MeasureContext, store: string, plan: readonly ConcurrencyLevelPlan[], label: string): Promise<ConcurrencyStoreResult> {
  const begun = performance.now();
  const result: ConcurrencyStoreResult = { store, topology: 'split-process', processes: [], levels: [], durationMs: 0 };
  mkdirSync(path.join(ctx.run.dir, 'history'), { recursive: true });
  const deployHistory = new History(path.join(ctx.run.dir, 'history', `${label}.processes.jsonl`));
  let deployment: Deployment | undefined;
  try {
    deployment = await Deployment.start({ target: ctx.target, topology: 'split-process', store, label, mock: ctx.mock, run: ctx.run, history: deployHistory });
    let firstFlow = 1;
    for (const level of plan) {
      const measured = await runLevel(ctx, deployment, label, level, firstFlow);
      firstFlow += level.flows;
      result.levels.push(measured);
      ctx.onProgress?.(`${label}: ${level.concurrency} at once, ${measured.passed}/${measured.flows} flows passed`);
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (deployment) {
      result.processes = [...deployment.processes];
      await deployment.stop().catch(() => undefined);
    }
    await deployHistory.close();
    result.durationMs = Math.round(performance.now() - begun);
  }
  return result;
}

export async function measureConcurrency(
  ctx: MeasureContext,
  plan?: readonly ConcurrencyLevelPlan[],
  /** Names the deployments: two measurements of one run must not share one. */
  labelPrefix = 'c8-concurrency',
): Promise<ConcurrencyResult> {
  const levels = plan ?? (ctx.quick ? QUICK_CONCURRENCY_PLAN : FULL_CONCURRENCY_PLAN);
  const stores: ConcurrencyStoreResult[] = [];
  for (const store of ctx.stores) stores.push(await measureStore(ctx, store, levels, `${labelPrefix}.${store}`));
  return { quick: ctx.quick, stores };
}
