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
 *
 * After the callback the provider's record of the flow (the mock's, found by
 * the state in the authorize URL) says whether the server redeemed the code:
 * the evidence probe-verdict.ts judges acceptance and refusal on.
 */
import { performance } from 'node:perf_hooks';
import { startFlow, type StartedFlow } from '../../deploy/flow/drive-flow.ts';
import { authorize, deliverCallback, handOff } from '../../deploy/flow/flow-steps.ts';
import type { Operation } from '../../core/history.ts';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment, ProviderRecords } from './clock-deployment.ts';

/** The provider's record of one flow's authorization: how often the server tried to redeem its code. */
export type ProviderEvidence =
  | { readable: true; redemptions: number; redeemedOk: number }
  | { readable: false; why: string };

export interface TtlProbe {
  flow: number;
  /** Virtual time between start_oauth and the callback, on the shared clock. */
  advancedMs: number;
  /** The processes' own skews at callback time. */
  toolSkewMs: number;
  callbackSkewMs: number;
  started: boolean;
  /**
   * What the callback page said; absent when the flow never reached the
   * callback. `no-response`: no page came back. `refusedAs`: the target's
   * own name for the refusal page it showed (then `message` is its words).
   */
  callback?: { outcome: string; status?: number; message: string; refusedAs?: string };
  handoff?: 'ok' | 'failed';
  /** The provider's record of this flow's code, read after the callback; absent when no callback was sent. */
  provider?: ProviderEvidence;
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
  return withProviderEvidence(cd.provider, readProbe(cd.history.ops, started.flow, advancedMs, skews), started.state);
}

export async function flowAcross(cd: ClockDeployment, target: TargetDescription, advanceMs: number, skews: ProbeSkews = {}): Promise<TtlProbe> {
  const flow = cd.nextFlow();
  const started = await startFlow(cd.endpoints, target, cd.history, flow);
  const returnedAt = performance.now();
  const moveClock = () => cd.clock.advanceBy(Math.max(0, Math.round(advanceMs - (performance.now() - returnedAt))));
  if (!started) await moveClock();
  else await finish(cd, target, started, moveClock);
  const probe = readProbe(cd.history.ops, flow, advanceMs, skews);
  return started ? withProviderEvidence(cd.provider, probe, started.state) : probe;
}

/** Adds what the provider recorded of the flow's code, once a callback was sent; an unreadable record is said, not guessed. */
export async function withProviderEvidence(provider: ProviderRecords, probe: TtlProbe, state: string): Promise<TtlProbe> {
  if (!probe.callback) return probe;
  try {
    const records = await provider.flows({ state });
    if (records.length === 0) return { ...probe, provider: { readable: false, why: 'the provider has no authorization with this state' } };
    const redemptions = records.flatMap((record) => record.redemptions);
    const dropped = records.reduce((sum, record) => sum + (record.redemptionsDropped ?? 0), 0);
    return { ...probe, provider: { readable: true, redemptions: redemptions.length + dropped, redeemedOk: redemptions.filter((r) => r.ok).length } };
  } catch (error) {
    return { ...probe, provider: { readable: false, why: error instanceof Error ? error.message : String(error) } };
  }
}

export function readProbe(ops: readonly Operation[], flow: number, advancedMs: number, skews: ProbeSkews = {}): TtlProbe {
  const mine = ops.filter((op) => op.flow === flow && op.type !== 'invoke');
  const started = mine.some((op) => op.f === 'start_oauth' && op.type === 'ok');
  const callbackOp = mine.find((op) => op.f === 'callback');
  const handoffOp = mine.find((op) => op.f === 'token-handoff');
  const probe: TtlProbe = { flow, advancedMs, toolSkewMs: skews.toolSkewMs ?? 0, callbackSkewMs: skews.callbackSkewMs ?? 0, started };
  if (callbackOp) {
    const value = (callbackOp.value ?? {}) as { outcome?: string; status?: number; message?: string; refusedAs?: string };
    // A failed callback step with no page reading is a request that got no page.
    const outcome = value.outcome ?? (callbackOp.type === 'ok' ? 'success' : 'no-response');
    probe.callback = { outcome, status: value.status, message: value.message ?? callbackOp.error ?? '', ...(value.refusedAs ? { refusedAs: value.refusedAs } : {}) };
  }
  if (handoffOp) probe.handoff = handoffOp.type === 'ok' ? 'ok' : 'failed';
  return probe;
}

