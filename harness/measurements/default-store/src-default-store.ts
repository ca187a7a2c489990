/**
 * Which store does the target use when nobody configures one? Asked of the
 * running tool process itself (its status tool), not read from its source.
 */
import type { MeasureContext } from '../measure-context.ts';
import { History } from '../../core/history.ts';
import { Deployment } from '../../deploy/deployment.ts';

export async function measureDefaultStore(ctx: MeasureContext): Promise<{ store: string }> {
  const deployment = await Deployment.start({
    target: ctx.target,
    topology: 'single-process',
    store: 'target-default',
    targetDefaultStore: true,
    label: 'default-store',
    mock: ctx.mock,
    run: ctx.run,
    history: new History(),
  });
  try {
    if (!ctx.target.statusTool) throw new Error(`${ctx.target.name} has no status tool that names its store`);
    const status = await deployment.tool.call(ctx.target.statusTool.tool);
    const store = ctx.target.statusTool.storeFrom(status);
    if (status.isError || store === undefined) throw new Error(`${ctx.target.statusTool.tool} did not report a store: ${status.text.slice(0, 200)}`);
    return { store };
  } finally {
    await deployment.stop();
  }
}
