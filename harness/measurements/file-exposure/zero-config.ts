/**
 * C9's "Zero config", measured: the target started with no store variable
 * at all (its own default), two processes on one host, a few whole flows.
 */
import { History } from '../../core/history.ts';
import { summariseFlows } from '../../core/checkers/flow-outcomes.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { completeFlow, startFlow } from '../../deploy/flow/drive-flow.ts';
import type { MeasureContext } from '../measure-context.ts';

export interface ZeroConfigResult {
  topology: 'split-process';
  /** What the running tool process says it uses (status tool), when the target has one. */
  defaultStore?: string;
  flows: number;
  passed: number;
  /** Hand-offs attributed to their own flow. */
  handoffsAttributed: number;
  errors: string[];
}

export async function measureZeroConfig(ctx: MeasureContext, flows = 3): Promise<ZeroConfigResult> {
  const history = new History();
  const deployment = await Deployment.start({
    target: ctx.target,
    topology: 'split-process',
    store: 'no-store-variable',
    targetDefaultStore: true,
    label: 'zero-config',
    mock: ctx.mock,
    run: ctx.run,
    history,
  });
  try {
    let defaultStore = ctx.target.defaultStore;
    if (ctx.target.statusTool) {
      defaultStore = ctx.target.statusTool.storeFrom(await deployment.tool.call(ctx.target.statusTool.tool));
    }
    for (let flow = 1; flow <= flows; flow++) {
      const started = await startFlow(deployment.endpoints, ctx.target, history, flow);
      if (started) await completeFlow(deployment.endpoints, ctx.target, history, started, deployment.callbackUrl);
    }
    const summary = summariseFlows(history.ops);
    return {
      topology: 'split-process',
      ...(defaultStore ? { defaultStore } : {}),
      flows: summary.flows,
      passed: summary.passed,
      handoffsAttributed: summary.tokenHandoffs.ok,
      errors: summary.errors.map((e) => `${e.stage}: ${e.message} ×${e.count}`),
    };
  } finally {
    await deployment.stop();
  }
}
