/**
 * A split-process deployment of one store with the write gate preloaded
 * into every target process, gating what the process writes under its
 * host's /tmp, less what the harness writes there (harness-writes.ts).
 * Each race gets its own, so one race's leftovers never feed the next.
 */
import { foldersNamedBy } from '../../deploy/target/visible-folders.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FlowEndpoints } from '../../deploy/flow/drive-flow.ts';
import type { MeasureContext } from '../measure-context.ts';
import { History } from '../../core/history.ts';
import { cacheRoot, PROJECT_ROOT, runsRoot } from '../../core/run-folder.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { isolationMode } from '../../deploy/hosts.ts';
import { harnessWrites, tsxOwners } from './harness-writes.ts';
import { storeFilesUnder, WriteGate } from './write-gate.ts';

export interface RaceDeployment {
  deployment: Deployment;
  gate: WriteGate;
  gateEnv: Record<string, string>;
  /** The paths the gate never holds (the harness's own writes), as given to the preload. */
  excluded: string[];
  history: History;
  endpoints: FlowEndpoints;
  stop(): Promise<void>;
}

export async function startRaceDeployment(ctx: Pick<MeasureContext, 'run' | 'mock' | 'target'>, store: string, label: string): Promise<RaceDeployment> {
  const historyFile = path.join(ctx.run.dir, 'history', `${label}.jsonl`);
  mkdirSync(path.dirname(historyFile), { recursive: true });
  const history = new History(historyFile);
  const gate = new WriteGate(path.join(ctx.run.dir, 'write-gate', label));
  // The host's /tmp is made by the deployment; its path is known before it starts.
  const hostTmp = path.join(ctx.run.hostsDir, label, 'a', 'tmp');
  // The gate matches the paths the process itself writes: inside its own mount namespace the host's folder is its /tmp.
  const mode = isolationMode();
  const seenAs = mode.kind === 'mount-namespace' ? '/tmp' : hostTmp;
  const excluded = harnessWrites({
    gatedFolder: seenAs,
    runDir: ctx.run.dir,
    runsRoot: runsRoot(),
    projectRoot: PROJECT_ROOT,
    cacheRoot: cacheRoot(),
    // Every folder the target file names (its checkout, its modules, its launcher's): the same list its hosts are shown.
    targetFolders: foldersNamedBy(ctx.target),
    tsxOwners: tsxOwners(mode.kind === 'mount-namespace' && mode.how.includes('--user')),
  });
  const gateEnv = gate.env(storeFilesUnder(seenAs), 20_000, excluded);
  let deployment: Deployment;
  try {
    // One attempt: the gate and the host's /tmp are tied to this label; the caller races again under a fresh one.
    deployment = await Deployment.startOnce({ target: ctx.target, topology: 'split-process', store, label, mock: ctx.mock, run: ctx.run, history, extraEnv: gateEnv });
  } catch (error) {
    await history.close();
    throw error;
  }
  if (path.resolve(deployment.callbackHostTmp) !== path.resolve(hostTmp)) {
    await deployment.stop();
    await history.close();
    throw new Error(`race deployment ${label}: host /tmp is ${deployment.callbackHostTmp}, expected ${hostTmp}`);
  }
  const endpoints: FlowEndpoints = deployment.endpoints;
  return {
    deployment,
    gate,
    gateEnv,
    excluded,
    history,
    endpoints,
    async stop() {
      for (const p of deployment.processes) gate.letGo(p.pid);
      await deployment.stop().catch(() => undefined);
      await history.close();
    },
  };
}
