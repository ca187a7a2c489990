/**
 * What each remote scenario × store cell costs in CPU when it runs alone:
 * its replicas, balancers and hosts over their whole life, the MCP
 * conformance suite where the run ran it (one store's cells of each remote
 * scenario, as the table does), the harness's work for it (the MCP clients,
 * the user agent) and the mock provider's, with nothing else running. The
 * remote table's part of a run's floor, as cell-cost.ts is the stdio
 * table's. The stores' servers (redis-server) are the run's, started once,
 * and not in a cell's cost.
 */
import { loadRemoteScenarios } from '../core/load-scenarios.ts';
import { startRunServices } from '../deploy/services/run-services.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { remoteModeOf } from '../deploy/target/load-target.ts';
import { buildTarget } from '../engine/prepare-target.ts';
import { conformanceStore, conformanceSuiteFor, plannedRemoteCells } from '../engine/run-remote-table.ts';
import { runRemoteCell } from '../engine/run-remote-cell.ts';
import { withScratchRun } from './scratch-run.ts';
import { costOfCell, type CellCost } from './cell-cost.ts';

export interface RemoteCellCost extends CellCost {
  /** The conformance suite ran in this cell, as in the run it stands for. */
  conformance: boolean;
}

/**
 * Runs every named remote cell once, one after another, and reads what each
 * cost. One cell is run first and not counted: the harness loads the
 * modules a remote cell needs (the SDK's client and its OAuth support) once
 * per run, not per cell. `withConformance` says whether the run that is
 * being costed ran the suite.
 */
export async function measureRemoteCellCosts(target: TargetDescription, wanted: readonly { scenario: string; store: string }[], withConformance: boolean): Promise<RemoteCellCost[]> {
  const remote = remoteModeOf(target);
  if (!remote || wanted.length === 0) return [];
  const stores = [...new Set(wanted.map((cell) => cell.store))];
  const cells = plannedRemoteCells(await loadRemoteScenarios(), remote, stores).filter((cell) => wanted.some((w) => w.scenario === cell.scenario.name && w.store === cell.store));
  const costs: RemoteCellCost[] = [];
  await withScratchRun('remote-cell-cost', async (run, mock) => {
    const services = await startRunServices(run, target, stores);
    try {
      await buildTarget(target, run);
      const conformance = withConformance ? await conformanceSuiteFor(run) : undefined;
      const suiteStore = conformance ? conformanceStore(remote, cells) : undefined;
      if (cells[0]) await runRemoteCell({ target: remote, ...cells[0], mock, run });
      for (const cell of cells) {
        const withSuite = cell.store === suiteStore && conformance !== undefined;
        const cost = await costOfCell(mock, () => runRemoteCell({ target: remote, ...cell, mock, run, ...(withSuite ? { conformance } : {}) }));
        costs.push({ scenario: cell.scenario.name, store: cell.store, ...cost, conformance: withSuite });
      }
    } finally {
      await services.stop();
    }
  });
  return costs;
}
