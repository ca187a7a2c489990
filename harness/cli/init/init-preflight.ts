/**
 * init's check of the file it wrote: the target loaded as a run would load
 * it, its build step, then one flow through one process doing both jobs
 * (the single-process topology, the case where even a Map works), against
 * the run's mock; a remote target gets one flow through one replica
 * (remote-preflight.ts). What did not work becomes one line for the terminal.
 */
import { closeRunFolder, createRunFolder } from '../../core/run-folder.ts';
import { loadScenarios } from '../../core/load-scenarios.ts';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { loadAnyTarget } from '../../deploy/target/load-target.ts';
import { buildTarget } from '../../engine/prepare-target.ts';
import { plannedCells } from '../../engine/run-battery.ts';
import { runCell } from '../../engine/run-cell.ts';
import { remotePreflight } from './remote-preflight.ts';
import { unknownStatePage } from './unknown-state-probe.ts';

export interface PreflightOutcome {
  ok: boolean;
  /** One line: what happened, and where the logs are when it did not work. */
  line: string;
  /** Asked for: the phrases of the callback's answer to a made-up state (unknown-state-probe.ts). */
  unknownStatePage?: string[];
}

const PREFLIGHT_SCENARIO = 'single-process';

/** A terminal line, not a log: the first attempt's reason, cut short; the logs hold the rest. */
const oneLine = (message: string) => {
  const first = message.split('\n')[0]!.replace(/ stdout \(last .*$/, '');
  return first.length > 240 ? `${first.slice(0, 239)}…` : first;
};

export async function initPreflight(targetFile: string, options: { probeUnknownState?: boolean } = {}): Promise<PreflightOutcome> {
  let loaded;
  try {
    loaded = await loadAnyTarget(targetFile);
  } catch (error) {
    return { ok: false, line: `the file does not load yet: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (loaded.kind === 'remote') return remotePreflight(loaded.target);
  const target = loaded.target;
  const scenario = (await loadScenarios()).find((s) => s.name === PREFLIGHT_SCENARIO)!;
  const run = createRunFolder(undefined, 'init-preflight');
  let mock: MockAtlassian | undefined;
  try {
    mock = await MockAtlassian.start(run.logDir);
    await buildTarget(target, run);
    const [cell] = plannedCells([scenario], target, target.defaultStore ? [target.defaultStore] : undefined);
    const probed = options.probeUnknownState ? { unknownStatePage: await unknownStatePage(target, cell!.store, mock, run).catch(() => []) } : {};
    const result = await runCell({ ...cell!, target, mock, run, flows: 1 });
    if (result.harnessError) return { ok: false, line: `its process could not be started: ${oneLine(result.harnessError)} (logs in ${run.logDir})`, ...probed };
    if (result.observed?.outcome === 'pass') return { ok: true, line: `one flow through one process (${PREFLIGHT_SCENARIO}, store ${cell!.store}) completed`, ...probed };
    const seen = result.errors.map((e) => `${e.count}× ${e.message}`).join('; ');
    const where = result.observed?.outcome === 'fail' ? `failed at ${result.observed.stage}` : 'could not be judged';
    return { ok: false, line: `one flow through one process (${PREFLIGHT_SCENARIO}) ${where}${seen ? `: ${seen}` : ''} (logs in ${run.logDir})`, ...probed };
  } catch (error) {
    return { ok: false, line: `${oneLine(error instanceof Error ? error.message : String(error))} (logs in ${run.logDir})` };
  } finally {
    await mock?.stop().catch(() => undefined);
    await stopAllChildren({ graceMs: 300 });
    closeRunFolder(run);
  }
}
