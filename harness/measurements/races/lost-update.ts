/**
 * Forces the lost update through real processes: the callback process has
 * read the sessions (flow 1's state found) and is held just before it
 * rewrites them; meanwhile the tool process stores flow 2's state; then the
 * callback's rewrite goes ahead with its stale copy. If flow 2's state is
 * gone, flow 2's callback shows the invalid-state message although its
 * start_oauth succeeded. The callback is held only at the file the tool
 * process stored flow 1's state in (session-writes.ts): held anywhere else,
 * the race would say nothing of the store.
 */
import { performance } from 'node:perf_hooks';
import { startFlow } from '../../deploy/flow/drive-flow.ts';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import { authorize, deliverCallback, describeCallback, startOrThrow } from '../../deploy/flow/flow-steps.ts';
import type { RaceDeployment } from './race-deployment.ts';
import type { GatedWrite, RaceOutcome } from './race-outcome.ts';
import { describeHeld, filesWrittenSince, heldWords, journalMark, waitForSessionWrite } from './session-writes.ts';
import { DEFAULT_RACE_TIMINGS, tracked, withinMs } from './timing.ts';

export async function forceLostUpdate(race: RaceDeployment, target: TargetDescription, store: string, timings = DEFAULT_RACE_TIMINGS): Promise<RaceOutcome> {
  const begun = performance.now();
  const { deployment, gate, history } = race;
  const callback = { baseUrl: deployment.callbackUrl, pid: deployment.callbackPid };
  const callbacks: RaceOutcome['callbacks'] = [];
  const held: GatedWrite[] = [];
  const passedThrough: GatedWrite[] = [];
  let sessionFiles: string[] | undefined;
  const finish = (status: RaceOutcome['status'], detail: string): RaceOutcome => ({
    kind: 'lost-update',
    store,
    status,
    detail,
    held,
    ...(sessionFiles ? { sessionFiles } : {}),
    ...(passedThrough.length ? { passedThrough } : {}),
    callbacks,
    processes: [...deployment.processes],
    durationMs: Math.round(performance.now() - begun),
  });

  try {
    const toolPid = deployment.toolPid;
    const beforeFlow1 = journalMark(gate, toolPid);
    const flow1 = await startOrThrow(race.endpoints, target, history, 1);
    const files = filesWrittenSince(gate, toolPid, beforeFlow1);
    sessionFiles = files;
    const callback1Url = await authorize(history, target, flow1, deployment.callbackUrl);

    gate.arm(callback.pid);
    const delivery1 = tracked(deliverCallback(history, target, 1, callback1Url, callback));
    const wait = await waitForSessionWrite(gate, callback.pid, files, deployment.processes, {
      deadlineMs: timings.pauseDeadlineMs,
      settled: delivery1.settled,
      passed: (write) => passedThrough.push(write),
    });
    gate.disarm(callback.pid);

    if (!wait.paused) {
      gate.letGo(callback.pid);
      const result1 = await delivery1.promise;
      callbacks.push({ label: `flow 1 via callback#${callback.pid}`, result: result1 });
      if (wait.why === 'deadline') return finish('harness-error', `the callback neither reached a session write nor answered within ${timings.pauseDeadlineMs} ms`);
      if (result1.outcome === 'invalid-state') {
        return finish('not-applicable', `the callback process could not find the state the tool process stored (${result1.message}) and wrote no session file: sessions are not shared across processes, so there is no shared write to lose`);
      }
      if (passedThrough.length > 0) return finish('not-forced', notForced(passedThrough, files, result1.outcome));
      return finish('no-unguarded-write', `race not reproducible: no unguarded write (flow 1's callback ended "${result1.outcome}" without a gated file write)`);
    }

    const heldWrite = describeHeld(gate, wait.paused, deployment.processes);
    held.push(heldWrite);
    history.record({ type: 'info', f: 'write-held', process: 'nemesis', flow: 1, value: heldWrite });
    // Flow 2 starts while the callback's rewrite is held.
    const beforeFlow2 = journalMark(gate, toolPid);
    const start2 = startFlow(race.endpoints, target, history, 2);
    const startedWhileHeld = await withinMs(start2, timings.whileHeldDeadlineMs);
    const toolWroteWhileHeld = filesWrittenSince(gate, toolPid, beforeFlow2).includes(heldWrite.path!);
    gate.release(wait.paused);
    history.record({ type: 'info', f: 'write-released', process: 'nemesis', flow: 1, value: wait.paused });
    const result1 = await delivery1.promise;
    callbacks.push({ label: `flow 1 via callback#${callback.pid}`, result: result1 });
    const flow2 = startedWhileHeld ? startedWhileHeld.value : await start2;
    if (!flow2) return finish('harness-error', 'start_oauth for flow 2 failed (see the history)');

    const callback2Url = await authorize(history, target, flow2, deployment.callbackUrl);
    const result2 = await deliverCallback(history, target, 2, callback2Url, callback);
    callbacks.push({ label: `flow 2 via callback#${callback.pid}`, result: result2 });
    const when = startedWhileHeld
      ? `while the callback process was held before its rewrite${toolWroteWhileHeld ? ' (the tool process wrote the same file meanwhile)' : ''}`
      : `only after the held rewrite was released (it waited: the store serialises writers)`;
    const where = `held ${heldWords(heldWrite)}`;
    if (result2.outcome === 'invalid-state') {
      return finish('reproduced', `${where}; flow 2's start_oauth succeeded ${when}; the callback process's rewrite then dropped it, and flow 2's callback showed "${result2.message}" (flow 1: ${describeCallback(result1)})`);
    }
    return finish('prevented', `${where}; flow 2's start_oauth succeeded ${when}; its callback still found the state (${describeCallback(result2)}; flow 1: ${describeCallback(result1)})`);
  } catch (error) {
    return finish('harness-error', error instanceof Error ? error.message : String(error));
  } finally {
    gate.letGo(callback.pid);
  }
}

/** Why a race that held the callback only at other writes gives no verdict. */
export function notForced(passed: readonly GatedWrite[], sessionFiles: readonly string[], ended: string): string {
  const stored = sessionFiles.length ? `the tool process stored the state in ${sessionFiles.join(', ')}` : 'the tool process wrote no file the gate sees when it stored the state';
  return `race not forced: the gate held ${passed.map(heldWords).join('; ')}, none of them a session write (${stored}); flow 1's callback ended "${ended}" without a held session write, so no verdict`;
}
