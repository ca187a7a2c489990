/**
 * One store's processes on a virtual clock: a deployment (split-process or
 * single-process) with the clock preload in every target process, its own
 * clock file, its own history, and flow numbers handed out in order.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FlowEndpoints } from '../../deploy/flow/drive-flow.ts';
import type { MeasureContext } from '../measure-context.ts';
import { History } from '../../core/history.ts';
import { Deployment } from '../../deploy/deployment.ts';
import type { TopologyName } from '../../core/topologies.ts';
import { VirtualClock } from './virtual-clock.ts';
import { advanceServerClock, privateDatabaseUrl } from './redis-clock.ts';

/** The provider's record of authorizations, as far as a probe reads it (the run's mock): which codes were redeemed. */
export interface ProviderRecords {
  flows(filter: { state: string }): Promise<readonly { redemptions: readonly { ok: boolean }[]; redemptionsDropped?: number }[]>;
}

export interface ClockDeployment {
  store: string;
  topology: TopologyName;
  deployment: Deployment;
  clock: VirtualClock;
  history: History;
  endpoints: FlowEndpoints;
  /** Where a probe reads whether the server redeemed its flow's code. */
  provider: ProviderRecords;
  /** Whether tool and callback run in separate processes (so their clocks can differ). */
  split: boolean;
  nextFlow(): number;
  stop(): Promise<void>;
}

export async function startClockDeployment(
  ctx: Pick<MeasureContext, 'run' | 'mock' | 'target'>,
  store: string,
  topology: TopologyName,
  label: string,
): Promise<ClockDeployment> {
  const historyFile = path.join(ctx.run.dir, 'history', `${label}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history = new History(historyFile);
  const clock = new VirtualClock(path.join(ctx.run.dir, 'clock', `${label}.json`));
  clock.recordTo(history);
  let deployment: Deployment;
  try {
    // A store whose expiry a Redis server keeps: its own database, and the server's clock moves with the processes'.
    const redisUrl = ctx.target.stores[store]?.needsRedis && ctx.run.services.redisUrl ? privateDatabaseUrl(ctx.run.services.redisUrl) : undefined;
    if (redisUrl) clock.followedBy((ms) => advanceServerClock(redisUrl, ms));
    deployment = await Deployment.start({ target: ctx.target, topology, store, label, mock: ctx.mock, run: ctx.run, history, extraEnv: clock.env(), ...(redisUrl ? { redisUrl } : {}) });
  } catch (error) {
    await history.close();
    throw error;
  }
  let flows = 0;
  return {
    store,
    topology,
    deployment,
    clock,
    history,
    endpoints: deployment.endpoints,
    provider: ctx.mock,
    split: deployment.callbackPid !== deployment.toolPid,
    nextFlow: () => ++flows,
    async stop() {
      await deployment.stop().catch(() => undefined);
      await history.close();
    },
  };
}
