/**
 * What each scenario × store cell of a scenario table costs in CPU when it
 * runs alone: its own processes over their whole life (started with its
 * store, its flows, stopped), the harness's work for it (the MCP client, the
 * user agent, spawning) and the mock provider's, with nothing else running.
 * `npm run timing` adds them up into the table's floor: the table's work
 * done once, without contention, over the cores. A table that runs cells
 * side by side cannot take less wall time than that.
 *
 * Read from the scheduler's accounts: the processes of a cell are reaped
 * children of this process once the cell has stopped them (cutime + cstime
 * of /proc/self/stat, process-start-cost.ts), the harness's own is
 * process.cpuUsage, the mock's is its live process's account.
 */
import { loadScenarios } from '../core/load-scenarios.ts';
import { startRunServices } from '../deploy/services/run-services.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { plannedCells } from '../engine/run-battery.ts';
import { runCell } from '../engine/run-cell.ts';
import { buildTarget } from '../engine/prepare-target.ts';
import { cpuOf, reapedChildrenCpuMs } from './process-start-cost.ts';
import { withScratchRun } from './scratch-run.ts';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';

export interface CellCost {
  scenario: string;
  store: string;
  /** The cell's processes, whole life. */
  processesMs: number;
  harnessMs: number;
  mockMs: number;
  /** The cell ran as its scenario expects: a cost is only that of a cell that did its work. */
  asExpected: boolean;
}

export const cellCpuMs = (cost: CellCost) => cost.processesMs + cost.harnessMs + cost.mockMs;

/**
 * What running one cell cost, read around it: the processes it started and
 * stopped (reaped children), this process's own CPU, and the mock's.
 */
export async function costOfCell(mock: MockAtlassian, runIt: () => Promise<{ matched: boolean | 'unknown' }>): Promise<Omit<CellCost, 'scenario' | 'store'>> {
  const processesBefore = reapedChildrenCpuMs();
  const harnessBefore = process.cpuUsage();
  const mockBefore = cpuOf(mock.child.pid);
  const result = await runIt();
  const harness = process.cpuUsage(harnessBefore);
  return {
    processesMs: reapedChildrenCpuMs() - processesBefore,
    harnessMs: (harness.user + harness.system) / 1000,
    mockMs: cpuOf(mock.child.pid) - mockBefore,
    asExpected: result.matched === true,
  };
}

/**
 * Runs every named cell once, one after another, and reads what each cost.
 * A first cell is run before them and not counted: the harness loads the
 * modules a cell needs on the first one (the MCP client, the flow driver),
 * which a table pays once, in its preflight.
 */
export async function measureCellCosts(target: TargetDescription, wanted: readonly { scenario: string; store: string }[]): Promise<CellCost[]> {
  const stores = [...new Set(wanted.map((cell) => cell.store))];
  const cells = plannedCells(await loadScenarios(), target, stores).filter((cell) => wanted.some((w) => w.scenario === cell.scenario.name && w.store === cell.store));
  const costs: CellCost[] = [];
  await withScratchRun('cell-cost', async (run, mock) => {
    const services = await startRunServices(run, target, stores);
    try {
      await buildTarget(target, run);
      if (cells[0]) await runCell({ ...cells[0], target, mock, run });
      for (const cell of cells) costs.push({ scenario: cell.scenario.name, store: cell.store, ...(await costOfCell(mock, () => runCell({ ...cell, target, mock, run }))) });
    } finally {
      await services.stop();
    }
  });
  return costs;
}
