/**
 * Flows at once through replicas: for each store, two replicas of the
 * target's remote server on one shared host behind a round-robin balancer
 * (so a one-host store can share its state, and every request may land on
 * either), then flows started `level` at a time, each a new MCP client, at
 * each level. What a flow lost is judged from its hops, as in the remote
 * table. A level's flows overlap for real: each level starts them together
 * and keeps `level` in flight until all have run.
 */
import { inPool } from '../../core/in-pool.ts';
import { median } from '../../core/checkers/percentile.ts';
import { RemoteDeployment } from '../../deploy/remote/remote-deployment.ts';
import { runRemoteFlow } from '../../deploy/remote/remote-flow.ts';
import type { RemoteTargetDescription } from '../../deploy/target/remote-target-description.ts';
import { remoteModeOf } from '../../deploy/target/load-target.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { RemoteLoadLevel, RemoteLoadResult } from './remote-load-result.ts';

/** The quick run overlaps a few flows, the bench climbs to 64 at once. Flows per level: enough that every slot turns over more than once. */
export const QUICK_LEVELS = [1, 4] as const;
export const BENCH_LEVELS = [1, 4, 16, 64] as const;
export const flowsAtLevel = (level: number, quick: boolean) => (quick ? Math.max(4, level * 2) : Math.max(16, level * 3));

export async function runRemoteLoad(ctx: MeasureContext): Promise<RemoteLoadResult> {
  const remoteTarget = remoteModeOf(ctx.target);
  if (!remoteTarget) throw new Error('remote load: the target describes no remote server');
  const levels = ctx.quick ? QUICK_LEVELS : BENCH_LEVELS;
  const result: RemoteLoadResult = { quick: ctx.quick, replicas: 2, policy: 'roundrobin', hosts: 'shared', stores: [] };
  for (const store of ctx.stores) {
    const measured: RemoteLoadLevel[] = [];
    try {
      for (const level of levels) {
        // A fresh pair per level: what one level left in the store or the replicas does not carry into the next.
        const deployment = await RemoteDeployment.start({ target: remoteTarget, store, label: `load-${store}-${level}`, replicas: 2, policy: 'roundrobin', hosts: 'shared', mock: ctx.mock, run: ctx.run });
        try {
          measured.push(await runLevel(deployment, remoteTarget, level, flowsAtLevel(level, ctx.quick)));
        } finally {
          await deployment.stop();
        }
        ctx.onProgress?.(`remote load: ${store} at ${level} at once: ${measured.at(-1)!.completed}/${measured.at(-1)!.flows} completed`);
      }
      result.stores.push({ store, levels: measured });
    } catch (error) {
      result.stores.push({ store, levels: measured, harnessError: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  return result;
}

async function runLevel(deployment: RemoteDeployment, target: RemoteTargetDescription, level: number, flows: number): Promise<RemoteLoadLevel> {
  const outcome: RemoteLoadLevel = { concurrency: level, flows, completed: 0, lost: {}, incomplete: 0 };
  const durations: number[] = [];
  await inPool(
    Array.from({ length: flows }, (_, i) => i),
    level,
    async () => {
      const started = performance.now();
      const flow = await runRemoteFlow({ mcpUrl: deployment.mcpUrl, toolCall: { name: target.remote.toolCall.name, arguments: { ...target.remote.toolCall.arguments } } });
      if (flow.outcome.outcome === 'completed') {
        outcome.completed += 1;
        durations.push(performance.now() - started);
      } else if (flow.outcome.outcome === 'broken') outcome.lost[flow.outcome.lost] = (outcome.lost[flow.outcome.lost] ?? 0) + 1;
      else outcome.incomplete += 1;
    },
  );
  const p50 = median(durations);
  if (p50 !== undefined) outcome.p50Ms = Math.round(p50);
  return outcome;
}
