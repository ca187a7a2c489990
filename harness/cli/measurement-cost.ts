/**
 * What each measurement of a default run costs when it runs alone: the CPU
 * of `npm run repro -- --measurement ID --scenario S` less that of the same
 * run without the measurement (`--scenario S`, which runs S's cells only),
 * and the wall time it adds. Measurements of one sequence share a
 * deployment pool in a run, so they are costed together, as one unit. `npm run timing` adds the CPU to the table's
 * floor to give the default run's floor: every measurement's own work
 * (its processes, its flows, the operations a micro-benchmark times, strace
 * around a crashed writer, Chromium's pages) done once without contention.
 * The wall time alone beside it shows where a measurement waits rather than
 * computes (a lock's deadline, a hung provider's timeout).
 *
 * The runs go to a scratch runs folder (OAUTH_REPRO_RUNS_DIR), so the
 * user's runs/latest and the runs kept under runs/ stay as they were; the
 * first baseline run fills that folder's build cache and is not counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MEASUREMENTS } from '../measurements/measurement-list.ts';

export interface MeasurementCost {
  /** One measurement, or the measurements of one sequence, run together. */
  ids: string[];
  /** CPU the measurement adds to a run, user + system of every process. */
  cpuMs: number;
  /** Wall time it adds. */
  wallMs: number;
}

export type TimedCommand = (command: string, args: string[], env: NodeJS.ProcessEnv) => Promise<{ wallMs: number; cpuMs: number | undefined; code: number | null }>;

export async function measureMeasurementCosts(ids: readonly string[], scenario: string, runCommand: TimedCommand): Promise<MeasurementCost[]> {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-measurement-cost-'));
  const env = { ...process.env, OAUTH_REPRO_RUNS_DIR: runsDir };
  const repro = async (args: string[]) => {
    const timed = await runCommand('npm', ['run', 'repro', '--', '--scenario', scenario, ...args], env);
    if (timed.code !== 0) throw new Error(`npm run repro -- --scenario ${scenario} ${args.join(' ')} exited ${timed.code}: its cost is not that of the work it should have done`);
    if (timed.cpuMs === undefined) throw new Error('CPU time cannot be read from /proc');
    return { wallMs: timed.wallMs, cpuMs: timed.cpuMs };
  };
  try {
    await repro([]);
    const base = await repro([]);
    const costs: MeasurementCost[] = [];
    for (const unit of costUnits(ids)) {
      const alone = await repro(unit.flatMap((id) => ['--measurement', id]));
      costs.push({ ids: unit, cpuMs: Math.max(0, alone.cpuMs - base.cpuMs), wallMs: Math.max(0, alone.wallMs - base.wallMs) });
    }
    return costs;
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

/** The measurements grouped as they run: a sequence's members together, in list order; the rest one each. */
export function costUnits(ids: readonly string[]): string[][] {
  const units = new Map<string, string[]>();
  for (const id of ids) {
    const key = MEASUREMENTS.find((m) => m.id === id)?.sequence ?? id;
    units.set(key, [...(units.get(key) ?? []), id]);
  }
  return [...units.values()];
}
