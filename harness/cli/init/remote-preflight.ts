/**
 * init's check of a remote target file: one flow through the one-replica
 * remote scenario (the control: every hop on one replica), without the
 * conformance suite, with the target's default store.
 */
import { loadRemoteScenarios } from '../../core/load-scenarios.ts';
import type { RemoteTargetDescription } from '../../deploy/target/remote-target-description.ts';
import { runRemoteBattery } from '../../engine/run-remote-table.ts';
import { remoteCellOutcome } from '../../results/remote-cases.ts';

const CONTROL_SCENARIO = 'one-replica';

export async function remotePreflight(target: RemoteTargetDescription): Promise<{ ok: boolean; line: string }> {
  const scenario = (await loadRemoteScenarios()).find((s) => s.name === CONTROL_SCENARIO);
  if (!scenario) return { ok: false, line: `no remote scenario ${CONTROL_SCENARIO} to run` };
  const { document, run } = await runRemoteBattery({ target, scenarios: [scenario], stores: target.defaultStore ? [target.defaultStore] : undefined, flows: 1, command: 'oauth-state-repro init', conformance: false });
  const cell = document.remoteCells?.[0];
  if (!cell) return { ok: false, line: `the remote scenario ${CONTROL_SCENARIO} ran no cell (logs in ${run.logDir})` };
  const outcome = remoteCellOutcome(cell);
  const ok = !cell.harnessError && cell.matched === true;
  return { ok, line: `one flow through one replica (remote/${CONTROL_SCENARIO}, store ${cell.store}): ${outcome.length > 240 ? `${outcome.slice(0, 239)}…` : outcome}${ok ? '' : ` (logs in ${run.logDir})`}` };
}
