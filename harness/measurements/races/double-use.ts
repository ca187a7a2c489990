/**
 * Forces the double use of one state through real processes: two callback
 * processes on the same host (same store, same file) receive the same
 * callback URL (same code, same state), as a browser retry or two replicas
 * behind one redirect URI would give. Both are held just before their first
 * write, i.e. after their lookups; then both go on. Single use holds only if
 * at most one of them found the state. The provider's side (a code is single
 * use too) is recorded as it happened. A hold counts only at a session write
 * (the file the tool process stored the flow's state in); the callbacks are
 * let go from any other write at once.
 */
import { performance } from 'node:perf_hooks';
import type { MeasureContext } from '../measure-context.ts';
import type { RunningChild } from '../../deploy/process/child-process.ts';
import { exchangesSince, markExchanges } from './provider-exchanges.ts';
import { authorize, deliverCallback, describeCallback, startOrThrow, type CallbackResult } from '../../deploy/flow/flow-steps.ts';
import type { RaceDeployment } from './race-deployment.ts';
import type { GatedWrite, RaceOutcome, RaceStatus } from './race-outcome.ts';
import { DEFAULT_RACE_TIMINGS, tracked, type RaceTimings } from './timing.ts';
import { describeHeld, filesWrittenSince, heldWords, isSessionWrite, journalMark } from './session-writes.ts';
import { waitForHolds } from './wait-for-holds.ts';

const lookupPassed = (result: CallbackResult) => result.outcome === 'success' || result.outcome === 'error';

/**
 * Judges the two deliveries of one callback URL. Pure. `exchanges`, when
 * known, is how many code exchanges the provider saw for this flow: the
 * count of lookups that succeeded, whatever the pages said afterwards.
 */
export function judgeDoubleUse(
  results: readonly [CallbackResult, CallbackResult],
  heldCount: number,
  /** One callback waited behind the other's held write (the store serialises them). */
  serialised = false,
  exchanges?: number,
  /** Writes the gate stopped a callback at that were not session writes (let go at once). */
  passedThrough = 0,
): { status: RaceStatus; detail: string } {
  const [a, b] = results;
  const provider = exchanges === undefined ? '' : `; the provider saw ${exchanges} code exchange${exchanges === 1 ? '' : 's'}`;
  const seen = `first callback process: ${describeCallback(a)}; second: ${describeCallback(b)}${provider}`;
  if (a.outcome === 'no-response' || b.outcome === 'no-response') return { status: 'harness-error', detail: `a callback did not answer (${seen})` };
  const passed = exchanges === undefined ? results.filter(lookupPassed).length : Math.min(2, exchanges);
  if (passed === 2) {
    const how = heldCount === 2 ? 'both callbacks were held after reading, before either removed the state' : `with ${heldCount} of 2 writes held`;
    // Said from what the provider and each page show: a page that refused the state while its code was redeemed anyway is a callback that redeemed before (or without) checking it.
    const refusedPages = results.filter((r) => r.outcome === 'invalid-state').length;
    const evidence =
      exchanges === undefined
        ? `both pages went past the state check (${how})`
        : refusedPages > 0
          ? `the provider saw ${exchanges} code exchanges for one state, yet ${refusedPages === 2 ? 'both pages' : 'one page'} refused the state: a callback redeemed the code before (or without) checking the state (${how})`
          : `the provider saw ${exchanges} code exchanges for one state and neither page refused it (${how})`;
    return { status: 'reproduced', detail: `used twice: ${evidence}: ${seen}` };
  }
  if (passed === 1) {
    if (heldCount === 0 && passedThrough > 0) {
      return { status: 'not-forced', detail: `race not forced: the gate held the callbacks only at writes that are not session writes, so neither was held after its lookup; one lookup succeeded, the other was refused (${seen}); no verdict` };
    }
    if (heldCount === 0) return { status: 'no-unguarded-write', detail: `race not reproducible: no unguarded write; one lookup succeeded, the other was refused (${seen})` };
    const why = serialised ? "the other callback waited behind the held write (the store serialises them), then" : `although ${heldCount} write(s) were held, the other`;
    return { status: 'prevented', detail: `only one lookup succeeded: ${why} found the state gone (${seen})` };
  }
  if (heldCount === 0 && a.outcome === 'invalid-state' && b.outcome === 'invalid-state') {
    return { status: 'not-applicable', detail: `neither callback process could find the state the tool process stored, and neither wrote: sessions are not shared across processes (${seen})` };
  }
  return { status: 'harness-error', detail: `neither lookup succeeded although the state was stored (${seen})` };
}

export async function forceDoubleUse(
  race: RaceDeployment,
  ctx: Pick<MeasureContext, 'run' | 'mock' | 'target'>,
  store: string,
  label: string,
  options: { flow?: number; timings?: RaceTimings } = {},
): Promise<RaceOutcome> {
  const flowId = options.flow ?? 1;
  const timings = options.timings ?? DEFAULT_RACE_TIMINGS;
  const begun = performance.now();
  const { deployment, gate, history } = race;
  const { target } = ctx;
  const callbacks: RaceOutcome['callbacks'] = [];
  const held: GatedWrite[] = [];
  const passedThrough: GatedWrite[] = [];
  let sessionFiles: string[] | undefined;
  const processes = [...deployment.processes];
  const finish = (status: RaceStatus, detail: string): RaceOutcome => ({
    kind: 'double-use',
    store,
    status,
    detail: held.length ? `${detail}; held ${held.map(heldWords).join(' and ')}` : detail,
    held,
    ...(sessionFiles ? { sessionFiles } : {}),
    ...(passedThrough.length ? { passedThrough } : {}),
    callbacks,
    processes,
    durationMs: Math.round(performance.now() - begun),
  });

  let second: RunningChild | undefined;
  const pids: number[] = [deployment.callbackPid];
  try {
    const extra = await deployment.startExtraCallback(`${label}.callback-second`, race.gateEnv);
    second = extra.child;
    pids.push(second.pid);
    processes.push({ role: 'callback', name: second.spec.name, pid: second.pid, host: 'a' });
    history.record({ type: 'info', f: 'process-started', process: `callback#${second.pid}`, value: { name: second.spec.name, pid: second.pid, host: 'a' } });

    const beforeFlow = journalMark(gate, deployment.toolPid);
    const flow = await startOrThrow(race.endpoints, target, history, flowId);
    const files = filesWrittenSince(gate, deployment.toolPid, beforeFlow);
    sessionFiles = files;
    const callbackUrl = await authorize(history, target, flow, deployment.callbackUrl);
    const vias = [
      { baseUrl: deployment.callbackUrl, pid: deployment.callbackPid },
      { baseUrl: extra.url, pid: second.pid },
    ];
    const mark = await markExchanges(ctx.mock);
    for (const via of vias) gate.arm(via.pid);
    const deliveries = vias.map((via) => tracked(deliverCallback(history, target, flowId, callbackUrl, via)));
    const observed = await waitForHolds(
      gate,
      vias.map((via, i) => ({ pid: via.pid, settled: deliveries[i]!.settled })),
      timings,
      {
        counts: (pause) => isSessionWrite(describeHeld(gate, pause, processes), files),
        passed: (pause) => passedThrough.push(describeHeld(gate, pause, processes)),
      },
    );
    for (const via of vias) gate.disarm(via.pid);
    for (const pause of observed.paused) {
      if (!pause) continue;
      const write = describeHeld(gate, pause, processes);
      held.push(write);
      history.record({ type: 'info', f: 'write-held', process: 'nemesis', flow: flowId, value: write });
    }
    // Both held (when the store lets them be): let them go together.
    for (const via of vias) gate.letGo(via.pid);
    if (observed.timedOut) {
      await Promise.all(deliveries.map((d) => d.promise));
      return finish('harness-error', `neither callback reached a gated write nor answered within ${timings.pauseDeadlineMs} ms`);
    }
    const results = (await Promise.all(deliveries.map((d) => d.promise))) as [CallbackResult, CallbackResult];
    results.forEach((result, i) => callbacks.push({ label: `flow ${flowId} via callback#${vias[i]!.pid}`, result }));
    const exchanges = await exchangesSince(ctx.mock, mark, deployment.clientId);
    if (exchanges) history.record({ type: 'info', f: 'provider-exchanges', process: 'mock', flow: flowId, value: exchanges });
    const judged = judgeDoubleUse(results, held.length, observed.blocked.some(Boolean), exchanges?.length, passedThrough.length);
    return finish(judged.status, judged.detail);
  } catch (error) {
    return finish('harness-error', error instanceof Error ? error.message : String(error));
  } finally {
    for (const pid of pids) gate.letGo(pid);
    await second?.stop({ graceMs: 1000 });
  }
}
