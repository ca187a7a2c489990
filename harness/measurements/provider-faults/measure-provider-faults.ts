/**
 * harness/measurements/provider-faults/: the provider failing (mock knobs): run, judged, rows.
 *
 * Provider faults from the mock: what the user is told when
 * Atlassian fails during a flow, whether the state survives for a retry, and
 * that no process of ours crashes or hangs.
 *
 * The mock's knobs are global to the run, so the cases run one at a time,
 * each sets its knobs just before the step it is about and restores the
 * knobs it found in a finally. Stores run side by side within a case: they
 * are all ours and want the same fault. While this runs, nothing else may
 * use the run's mock (its flows would meet the fault too).
 *
 * Each store runs where it can complete a flow at all: split-process, or
 * single-process when its control flow loses the state across processes
 * (a fault further on could not be reached otherwise).
 */
import { performance } from 'node:perf_hooks';
import { UserAgent } from '../../deploy/flow/user-agent.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { MockKnobs } from '../../deploy/services/mock-atlassian.ts';
import type { TopologyName } from '../../core/topologies.ts';
import { DeploymentPool, processAlive, type PooledDeployment } from '../../deploy/deployment-pool.ts';
import { health } from '../../deploy/flow/health.ts';
import { authorizeFlow, runLegitFlow, startLegitFlow, visitCallback, whoami, type CallbackVisit } from '../../deploy/flow/observed-flow.ts';
import { PROVIDER_FAULT_CASES, type ProviderFaultCase } from './provider-fault-cases.ts';
import { setupError, type SetupError } from '../setup-error.ts';

export interface FaultVisit {
  status: number;
  outcome: string;
  /** The page's text (tags stripped), as the user read it. */
  message: string;
  durationMs: number;
}

export interface ProviderFaultResult {
  caseId: string;
  store: string;
  topology: TopologyName;
  knobs: MockKnobs;
  /** The answer to the callback that met the fault; absent when the harness could not get that far. */
  faulted?: FaultVisit;
  /** The retry after the knobs were restored: same callback URL, or (consent) the same authorize URL again. */
  retry?: FaultVisit & { how: string };
  /** Extra evidence (e.g. did the earlier flow's token survive a code replay). */
  note?: string;
  /** What the provider itself answered to the faulted code exchange (its own error code and words), from the mock's evidence. */
  providerAnswer?: { error: string; errorDescription?: string };
  alive: { tool: boolean; callback: boolean; health: boolean | 'no-endpoint'; mcp: boolean };
  error?: string;
}

export interface ProviderFaultsResult {
  quick: boolean;
  httpTimeoutMs: number;
  stores: string[];
  caseIds: string[];
  /** Where each store ran, and why. */
  placement: { store: string; topology: TopologyName; reason: string }[];
  results: ProviderFaultResult[];
  errors: SetupError[];
  durationMs: number;
}

export interface ProviderFaultOptions {
  pool?: DeploymentPool;
  /** Restrict to these case ids. */
  only?: string[];
}

export async function measureProviderFaults(ctx: MeasureContext, options: ProviderFaultOptions = {}): Promise<ProviderFaultsResult> {
  const started = performance.now();
  const pool = options.pool ?? new DeploymentPool(ctx, { name: 'provider-faults' });
  const cases = PROVIDER_FAULT_CASES.filter((c) => !options.only || options.only.includes(c.id));
  const placement: ProviderFaultsResult['placement'] = [];
  const results: ProviderFaultResult[] = [];
  const errors: ProviderFaultsResult['errors'] = [];
  try {
    const placed = (
      await Promise.all(
        ctx.stores.map(async (store) => {
          try {
            const { pd, reason } = await place(pool, store);
            placement.push({ store, topology: pd.topology, reason });
            return [pd];
          } catch (error) {
            errors.push(setupError(store, error));
            return [];
          }
        }),
      )
    ).flat();

    for (const fault of cases) {
      const outcomes = await runFaultCase(pool, placed, fault);
      results.push(...outcomes);
      ctx.onProgress?.(`provider fault ${fault.id}: ${outcomes.map((r) => `${r.store} ${r.faulted ? r.faulted.status : 'n/a'}`).join(', ')}`);
    }
  } finally {
    if (!options.pool) await pool.stop();
  }
  return {
    quick: ctx.quick,
    httpTimeoutMs: pool.httpTimeoutMs,
    stores: [...ctx.stores],
    caseIds: cases.map((c) => c.id),
    placement,
    results,
    errors,
    durationMs: Math.round(performance.now() - started),
  };
}

async function place(pool: DeploymentPool, store: string): Promise<{ pd: PooledDeployment; reason: string }> {
  const split = await pool.get(store, 'split-process');
  const control = await runLegitFlow(pool, split);
  if (control.visit.reading.outcome === 'success') return { pd: split, reason: 'control flow completes split-process' };
  const single = await pool.get(store, 'single-process');
  const again = await runLegitFlow(pool, single);
  if (again.visit.reading.outcome !== 'success') {
    throw new Error(`no topology completes a flow (split-process: ${control.visit.reading.message}; single-process: ${again.visit.reading.message})`);
  }
  return { pd: single, reason: `split-process control flow failed (${control.visit.reading.outcome}), so single-process` };
}

/** One case on every placed store at once, between one knob change and its restore. */
async function runFaultCase(pool: DeploymentPool, placed: PooledDeployment[], fault: ProviderFaultCase): Promise<ProviderFaultResult[]> {
  const knobs = fault.knobs(pool.httpTimeoutMs);
  const agentTimeout = pool.httpTimeoutMs * 2 + 5000;
  const mock = pool.ctx.mock;
  const perStore = new Map<PooledDeployment, Partial<ProviderFaultResult> & { retryUrl?: string; agent?: UserAgent }>();
  for (const pd of placed) perStore.set(pd, {});

  const each = (fn: (pd: PooledDeployment, slot: Partial<ProviderFaultResult> & { retryUrl?: string; agent?: UserAgent }) => Promise<void>) =>
    Promise.all(
      placed.map(async (pd) => {
        const slot = perStore.get(pd)!;
        if (slot.error) return;
        try {
          await fn(pd, slot);
        } catch (error) {
          slot.error = error instanceof Error ? error.message : String(error);
        }
      }),
    );

  // Before the fault: everything up to the step the fault is about, with the knobs as found.
  await each(async (pd, slot) => {
    const agent = new UserAgent(agentTimeout);
    slot.agent = agent;
    if (fault.step === 'code-replay') {
      const first = await runLegitFlow(pool, pd);
      if (first.visit.reading.outcome !== 'success') throw new Error(`the first flow failed: ${first.visit.reading.message}`);
      const redeemed = new URL(first.callbackUrl).searchParams.get('code') ?? '';
      const second = await startLegitFlow(pool, pd);
      const genuine = await authorizeFlow(pool, pd, second, agent);
      const replay = new URL(genuine);
      replay.searchParams.set('code', redeemed);
      slot.retryUrl = genuine;
      (slot as { faultUrl?: string }).faultUrl = replay.toString();
      return;
    }
    const flow = await startLegitFlow(pool, pd);
    (slot as { flow?: typeof flow }).flow = flow;
    if (fault.step === 'token-exchange' && !fault.expectSuccess) {
      (slot as { faultUrl?: string }).faultUrl = await authorizeFlow(pool, pd, flow, agent);
    }
  });

  const before = await mock.setKnobs({});
  try {
    await mock.setKnobs(knobs);
    placed.forEach((pd) => pd.history.record({ type: 'info', f: 'provider-fault', process: 'nemesis', value: { case: fault.id, knobs } }));
    await each(async (pd, slot) => {
      const s = slot as { faultUrl?: string; flow?: Awaited<ReturnType<typeof startLegitFlow>> };
      let url = s.faultUrl;
      if (!url) {
        // The fault is met while authorizing (consent) or all along (slow): authorize under it.
        url = await authorizeFlow(pool, pd, s.flow!, slot.agent);
        if (fault.step === 'authorize') slot.retryUrl = s.flow!.authUrl;
      } else if (fault.step === 'token-exchange') {
        slot.retryUrl = url;
      }
      const began = performance.now();
      try {
        slot.faulted = visitOf(await visitCallback(pool, pd, url, s.flow?.flow, slot.agent));
      } catch (error) {
        if (!isUserAgentTimeout(error)) throw error;
        // No page before the user gave up: that is what the user saw of the target under this fault (a wait on the provider with no end), not the harness's trouble.
        slot.faulted = { status: 0, outcome: 'no-response', message: `no page within ${agentTimeout} ms`, durationMs: Math.round(performance.now() - began) };
      }
      // The provider's own words for the refusal: a page that relays them tells the user what happened, in whatever vocabulary that provider has.
      const code = fault.step === 'authorize' ? null : new URL(url).searchParams.get('code');
      const refused = code ? (await mock.redemptionsOfCode(code))?.findLast((redemption) => !redemption.ok && redemption.error) : undefined;
      if (refused?.error) slot.providerAnswer = { error: refused.error, ...(refused.errorDescription ? { errorDescription: refused.errorDescription } : {}) };
    });
  } finally {
    await mock.setKnobs(restoreOf(before));
    placed.forEach((pd) => pd.history.record({ type: 'info', f: 'provider-fault-restored', process: 'nemesis', value: { case: fault.id } }));
  }

  // After the fault: can the user retry with what they have?
  await each(async (pd, slot) => {
    if (fault.expectSuccess || !slot.retryUrl) return;
    if (fault.step === 'authorize') {
      const s = slot as { flow?: Awaited<ReturnType<typeof startLegitFlow>> };
      const callbackUrl = await authorizeFlow(pool, pd, s.flow!, new UserAgent(agentTimeout));
      slot.retry = { how: 'the same authorize URL opened again (same state), consent given', ...visitOf(await visitCallback(pool, pd, callbackUrl, s.flow?.flow)) };
    } else if (fault.step === 'code-replay') {
      slot.retry = { how: "the second flow's own callback URL (its genuine code)", ...visitOf(await visitCallback(pool, pd, slot.retryUrl)) };
      const me = await whoami(pool, pd);
      slot.note = `after the replay, ${pool.ctx.target.tokenTool?.tool ?? 'the token tool'} ${me.ok ? 'still works' : `fails: ${me.text.slice(0, 160)}`}`;
    } else {
      slot.retry = { how: 'the same callback URL again', ...visitOf(await visitCallback(pool, pd, slot.retryUrl)) };
    }
  });

  return Promise.all(
    placed.map(async (pd) => {
      const slot = perStore.get(pd)!;
      const { deployment } = pd;
      const mcp = await deployment.tool
        .listToolNames()
        .then(() => true)
        .catch(() => false);
      return {
        caseId: fault.id,
        store: pd.store,
        topology: pd.topology,
        knobs,
        ...(slot.faulted ? { faulted: slot.faulted } : {}),
        ...(slot.retry ? { retry: slot.retry } : {}),
        ...(slot.note ? { note: slot.note } : {}),
        ...(slot.providerAnswer ? { providerAnswer: slot.providerAnswer } : {}),
        alive: { tool: processAlive(deployment.toolPid), callback: processAlive(deployment.callbackPid), health: await health(deployment.callbackUrl, pool.ctx.target.healthPath), mcp },
        ...(slot.error ? { error: slot.error } : {}),
      };
    }),
  );
}

/** The knobs as they were, minus any a MockKnobs patch cannot carry. */
function restoreOf(before: MockKnobs): MockKnobs {
  const { latencyMs, tokenEndpointFault, denyConsent, codeLifetimeMs, pkcePolicy, bodyFormats } = before;
  return { latencyMs, tokenEndpointFault, denyConsent, codeLifetimeMs, pkcePolicy, bodyFormats };
}

/** The user agent gave up waiting for an answer (its own deadline), as opposed to a refused connection or a bad URL. */
function isUserAgentTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || /aborted due to timeout/i.test(error.message));
}

function visitOf(visit: CallbackVisit): FaultVisit {
  return { status: visit.status, outcome: visit.reading.outcome, message: visit.text.slice(0, 300), durationMs: Math.round(visit.durationMs) };
}

