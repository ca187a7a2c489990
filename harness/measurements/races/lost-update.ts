/**
 * Forces the lost update through real processes: the callback process has
 * read the sessions (flow 1's state found) and is held just before it
 * rewrites them; meanwhile the tool process stores flow 2's state; then the
 * callback's rewrite goes ahead with its stale copy. If flow 2's state is
 * gone, flow 2's callback shows the invalid-state message although its
 * start_oauth succeeded.
 */
import { performance } from 'node:perf_hooks';
import { startFlow } from '../../deploy/flow/drive-flow.ts';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import { authorize, deliverCallback, describeCallback, startOrThrow } from '../../deploy/flow/flow-steps.ts';
import type { RaceDeployment } from './race-deployment.ts';
import type { GatedWrite, RaceOutcome } from './race-outcome.ts';
import { DEFAULT_RACE_TIMINGS, tracked, withinMs } from './timing.ts';

export async function forceLostUpdate(race: RaceDeployment, target: TargetDescription, store: string, timings = DEFAULT_RACE_TIMINGS): Promise<RaceOutcome> {
  const begun = performance.now();
  const { deployment, gate, history } = race;
  const callback = { baseUrl: deployment.callbackUrl, pid: deployment.callbackPid };
  const callbacks: RaceOutcome['callbacks'] = [];
  const held: GatedWrite[] = [];
  const finish = (status: RaceOutcome['status'], detail: string): RaceOutcome => ({
    kind: 'lost-update',
    store,
    status,
    detail,
    held,
    callbacks,
    processes: [...deployment.processes],
    durationMs: Math.round(performance.now() - begun),
  });

  try {
    const flow1 = await startOrThrow(race.endpoints, target, history, 1);
    const callback1Url = await authorize(history, target, flow1, deployment.callbackUrl);

    gate.arm(callback.pid);
    const delivery1 = tracked(deliverCallback(history, target, 1, callback1Url, callback));
    const wait = await gate.waitForPause(callback.pid, { deadlineMs: timings.pauseDeadlineMs, settled: delivery1.settled });
    gate.disarm(callback.pid);

    if (!wait.paused) {
      gate.letGo(callback.pid);
      const result1 = await delivery1.promise;
      callbacks.push({ label: `flow 1 via callback#${callback.pid}`, result: result1 });
      if (wait.why === 'deadline') return finish('harness-error', `the callback neither reached a gated write nor answered within ${timings.pauseDeadlineMs} ms`);
      if (result1.outcome === 'invalid-state') {
        return finish('not-applicable', `the callback process could not find the state the tool process stored (${result1.message}) and wrote nothing: sessions are not shared across processes, so there is no shared write to lose`);
      }
      return finish('no-unguarded-write', `race not reproducible: no unguarded write (flow 1's callback ended "${result1.outcome}" without a gated file write)`);
    }

    held.push(gate.describe(wait.paused));
    history.record({ type: 'info', f: 'write-held', process: 'nemesis', flow: 1, value: held[0] });
    // Flow 2 starts while the callback's rewrite is held.
    const start2 = startFlow(race.endpoints, target, history, 2);
    const startedWhileHeld = await withinMs(start2, timings.whileHeldDeadlineMs);
    gate.release(wait.paused);
    history.record({ type: 'info', f: 'write-released', process: 'nemesis', flow: 1, value: wait.paused });
    const result1 = await delivery1.promise;
    callbacks.push({ label: `flow 1 via callback#${callback.pid}`, result: result1 });
    const flow2 = startedWhileHeld ? startedWhileHeld.value : await start2;
    if (!flow2) return finish('harness-error', 'start_oauth for flow 2 failed (see the history)');

    const callback2Url = await authorize(history, target, flow2, deployment.callbackUrl);
    const result2 = await deliverCallback(history, target, 2, callback2Url, callback);
    callbacks.push({ label: `flow 2 via callback#${callback.pid}`, result: result2 });
    const when = startedWhileHeld ? 'while the callback process was held before its rewrite' : `only after the held rewrite was released (it waited: the store serialises writers)`;
    if (result2.outcome === 'invalid-state') {
      return finish('reproduced', `flow 2's start_oauth succeeded ${when}; the callback process's rewrite then dropped it, and flow 2's callback showed "${result2.message}" (flow 1: ${describeCallback(result1)})`);
    }
    return finish('prevented', `flow 2's start_oauth succeeded ${when}; its callback still found the state (${describeCallback(result2)}; flow 1: ${describeCallback(result1)})`);
  } catch (error) {
    return finish('harness-error', error instanceof Error ? error.message : String(error));
  } finally {
    gate.letGo(callback.pid);
  }
}
