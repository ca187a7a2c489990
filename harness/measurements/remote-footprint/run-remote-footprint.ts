/**
 * C5 across replicas: for each store, two replicas of the target's remote
 * server on one shared host behind a round-robin balancer (as the remote
 * load: a one-host store shares its state, and requests take turns), then
 * whole flows one after another, each a new MCP client. The bytes under
 * the host's folders (its /tmp and home, every file) are read before any
 * flow, after the first (so what a store makes once, a file's header, a
 * database's first pages, is not counted per flow) and after the last.
 * A store kept in Redis is read there too, in a database of its own.
 *
 * One after another, not at once: the bytes a flow leaves are the
 * question here, not what overlapping writers lose (C8 measures that).
 */
import { RemoteDeployment } from '../../deploy/remote/remote-deployment.ts';
import { describeFlowOutcome } from '../../deploy/remote/flow-outcome.ts';
import { runRemoteFlow } from '../../deploy/remote/remote-flow.ts';
import type { RemoteTargetDescription } from '../../deploy/target/remote-target-description.ts';
import { remoteModeOf } from '../../deploy/target/load-target.ts';
import type { MeasureContext } from '../measure-context.ts';
import { privateDatabaseUrl } from '../ttl-clock/redis-clock.ts';
import { readHostDisk } from './host-disk.ts';
import { redisDatabaseBytes } from './redis-memory.ts';
import type { RemoteFootprintResult, RemoteFootprintStore } from './remote-footprint-result.ts';

export const REMOTE_FOOTPRINT_SHAPE = { replicas: 2, policy: 'roundrobin', hosts: 'shared' } as const;

/** Flows after the first, over which the bytes per flow are measured. */
export const flowsMeasured = (quick: boolean) => (quick ? 10 : 100);

export async function runRemoteFootprint(ctx: MeasureContext): Promise<RemoteFootprintResult> {
  const target = remoteModeOf(ctx.target);
  if (!target) throw new Error('remote footprint: the target describes no remote server');
  const result: RemoteFootprintResult = { quick: ctx.quick, ...REMOTE_FOOTPRINT_SHAPE, stores: [] };
  for (const store of ctx.stores) {
    const measured = await measureStore(ctx, target, store, 1 + flowsMeasured(ctx.quick));
    result.stores.push(measured);
    const disk = measured.disk ? `${measured.disk.afterAll.bytes - measured.disk.afterFirst.bytes} B on disk after the first` : 'no disk reading';
    ctx.onProgress?.(`remote footprint: ${store}: ${measured.completed}/${measured.flows} completed, ${measured.harnessError ? `harness error (${measured.harnessError})` : disk}`);
  }
  return result;
}

async function measureStore(ctx: MeasureContext, target: RemoteTargetDescription, store: string, flows: number): Promise<RemoteFootprintStore> {
  const redisUrl = target.stores[store]?.needsRedis && ctx.run.services.redisUrl ? privateDatabaseUrl(ctx.run.services.redisUrl) : undefined;
  const measured: RemoteFootprintStore = { store, flows: 0, completed: 0 };
  let deployment: RemoteDeployment | undefined;
  try {
    deployment = await RemoteDeployment.start({ target, store, label: `remote-footprint-${store}`, ...REMOTE_FOOTPRINT_SHAPE, mock: ctx.mock, run: ctx.run, ...(redisUrl ? { redisUrl } : {}) });
    const folders = deployment.hostFolders;
    const before = readHostDisk(folders);
    let afterFirst = before;
    let redisAfterFirst: { bytes: number; keys: number } | undefined;
    for (let flow = 1; flow <= flows; flow++) {
      const result = await runRemoteFlow({ mcpUrl: deployment.mcpUrl, toolCall: { name: target.remote.toolCall.name, arguments: { ...target.remote.toolCall.arguments } } });
      measured.flows += 1;
      if (result.outcome.outcome === 'completed') measured.completed += 1;
      else measured.firstBreak ??= `flow ${flow} ${describeFlowOutcome(result.outcome)}`;
      if (flow === 1) {
        afterFirst = readHostDisk(folders);
        if (redisUrl) redisAfterFirst = await redisDatabaseBytes(redisUrl);
      }
    }
    measured.disk = { before, afterFirst, afterAll: readHostDisk(folders) };
    if (redisUrl && redisAfterFirst) measured.redisMemory = { afterFirst: redisAfterFirst, afterAll: await redisDatabaseBytes(redisUrl) };
  } catch (error) {
    measured.harnessError = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  } finally {
    await deployment?.stop();
  }
  return measured;
}
