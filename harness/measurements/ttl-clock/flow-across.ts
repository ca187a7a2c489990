/**
 * One flow across a stretch of virtual time: start_oauth, the browser's
 * authorize, then the shared clock moves, then the callback and the token
 * hand-off, and what the user saw, read back from the history.
 *
 * The clock moves by the stretch minus the real time spent since start_oauth
 * returned, just before the callback is sent: the state's age at the
 * callback is then the stretch plus only the time the session took to be
 * answered and the callback request's own latency (milliseconds), so 14:59
 * stays under 15:00 on a loaded machine and 15:01 stays over it.
 */
import { performance } from 'node:perf_hooks';
import { startFlow, type StartedFlow } from '../../deploy/flow/drive-flow.ts';
import { authorize, deliverCallback, handOff } from '../../deploy/flow/flow-steps.ts';
import type { Operation } from '../../core/history.ts';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment } from './clock-deployment.ts';

export interface TtlProbe {
  flow: number;
  /** Virtual time between start_oauth and the callback, on the shared clock. */
  advancedMs: number;
  /** The processes' own skews at callback time. */
  toolSkewMs: number;
  callbackSkewMs: number;
  started: boolean;
  /** What the callback page said; absent when the flow never reached the callback. */
  callback?: { outcome: string; status?: number; message: string };
  handoff?: 'ok' | 'failed';
}

export interface ProbeSkews {
  toolSkewMs?: number;
  callbackSkewMs?: number;
}

/** Starts a flow on the tool process and returns it (no callback yet). */
export async function startOnly(cd: ClockDeployment, target: TargetDescription): Promise<StartedFlow | undefined> {
  return startFlow(cd.endpoints, target, cd.history, cd.nextFlow());
}

async function finish(cd: ClockDeployment, target: TargetDescription, started: StartedFlow, beforeCallback: () => Promise<void>): Promise<void> {
  let callbackUrl: string;
  try {
    callbackUrl = await authorize(cd.history, target, started, cd.deployment.callbackUrl);
  } catch {
    await beforeCallback();
    return;
  }
  await beforeCallback();
  const result = await deliverCallback(cd.history, target, started.flow, callbackUrl, { baseUrl: cd.deployment.callbackUrl, pid: cd.deployment.callbackPid });
  if (result.outcome === 'success') await handOff(cd.endpoints, target, cd.history, started);
}

/** Completes an already started flow now (the clock already moved), and reads what happened. */
export async function completeNow(cd: ClockDeployment, target: TargetDescription, started: StartedFlow, advancedMs: number, skews: ProbeSkews = {}): Promise<TtlProbe> {
  await finish(cd, target, started, async () => undefined);
  return readProbe(cd.history.ops, started.flow, advancedMs, skews);
}

export async function flowAcross(cd: ClockDeployment, target: TargetDescription, advanceMs: number, skews: ProbeSkews = {}): Promise<TtlProbe> {
  const flow = cd.nextFlow();
  const started = await startFlow(cd.endpoints, target, cd.history, flow);
  const returnedAt = performance.now();
  const moveClock = () => cd.clock.advanceBy(Math.max(0, Math.round(advanceMs - (performance.now() - returnedAt))));
  if (!started) await moveClock();
  else await finish(cd, target, started, moveClock);
  return readProbe(cd.history.ops, flow, advanceMs, skews);
}

export function readProbe(ops: readonly Operation[], flow: number, advancedMs: number, skews: ProbeSkews = {}): TtlProbe {
  const mine = ops.filter((op) => op.flow === flow && op.type !== 'invoke');
  const started = mine.some((op) => op.f === 'start_oauth' && op.type === 'ok');
  const callbackOp = mine.find((op) => op.f === 'callback');
  const handoffOp = mine.find((op) => op.f === 'token-handoff');
  const probe: TtlProbe = { flow, advancedMs, toolSkewMs: skews.toolSkewMs ?? 0, callbackSkewMs: skews.callbackSkewMs ?? 0, started };
  if (callbackOp) {
    const value = (callbackOp.value ?? {}) as { outcome?: string; status?: number; message?: string };
    probe.callback = { outcome: value.outcome ?? (callbackOp.type === 'ok' ? 'success' : 'error'), status: value.status, message: value.message ?? callbackOp.error ?? '' };
  }
  if (handoffOp) probe.handoff = handoffOp.type === 'ok' ? 'ok' : 'failed';
  return probe;
}

/** The callback accepted the state (the page did not show the invalid-state message). */
export const accepted = (probe: TtlProbe) => probe.callback !== undefined && probe.callback.outcome !== 'invalid-state';
