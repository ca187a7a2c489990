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

export interface ClockDeployment {
  store: string;
  topology: TopologyName;
  deployment: Deployment;
  clock: VirtualClock;
  history: History;
  endpoints: FlowEndpoints;
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
  let deployment: Deployment;
  try {
    deployment = await Deployment.start({ target: ctx.target, topology, store, label, mock: ctx.mock, run: ctx.run, history, extraEnv: clock.env() });
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
    endpoints: { tool: deployment.tool, toolPid: deployment.toolPid, callbackPid: () => deployment.callbackPid },
    split: deployment.callbackPid !== deployment.toolPid,
    nextFlow: () => ++flows,
    async stop() {
      await deployment.stop().catch(() => undefined);
      await history.close();
    },
  };
}
