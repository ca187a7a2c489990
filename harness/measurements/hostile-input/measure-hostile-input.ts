/**
 * harness/measurements/hostile-input/: hostile requests to the callback: run, judged, rows.
 *
 * Hostile input at the callback. Per store, against a split-process
 * deployment: a control flow, a few legitimate flows started just before the
 * battery and completed after it, then every case of
 * fixtures/hostile-payloads/ over a bare socket. Each answer is recorded as
 * it came (status, raw HTML, headers, time) with what the echo scan found in
 * it, how the target's description reads the page (its success page or
 * not), what the provider recorded of the codes the request carried, and
 * whether both processes were still alive. Verdicts are computed later, by
 * hostileRows(), from these records only: on what any server shows, never
 * on one server's wording or status codes.
 *
 * A store that cannot carry a state across processes (its control flow fails
 * at the state lookup) cannot show whether other sessions stayed intact
 * there, so for it the battery runs a second time on single-process (in the
 * quick version only the cases aimed at a live state).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pageText, readCallbackPage, type CallbackOutcome } from '../../deploy/flow/callback-outcome.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { TopologyName } from '../../core/topologies.ts';
import { DeploymentPool, processAlive, type PooledDeployment } from '../../deploy/deployment-pool.ts';
import { mergeVocabulary, scanEcho, type EchoFinding, type MarkupVocabulary } from './echo-scan.ts';
import { foreignCallbackQuery } from './foreign-flow.ts';
import { fillCase, loadHostileCases, payloadValues, type CaseBindings, type HostileCase } from './hostile-cases.ts';
import { authorizeFlow, runLegitFlow, startLegitFlow, visitCallback, type StartedLegitFlow } from '../../deploy/flow/observed-flow.ts';
import { rawRequest, type RawRequest } from '../../deploy/flow/raw-http.ts';
import { health } from '../../deploy/flow/health.ts';
import { setupError, type SetupError } from '../setup-error.ts';
import { aimAtCallback } from './aim-at-target.ts';
import { carriedStates, countRedemptions, providerEffect, type ProviderEffect } from './provider-redemptions.ts';

/** The callback process's liveness endpoint (src/ serves it; a target without one is judged by pid alone). */
export const CASE_TIMEOUT_MS = 5000;

export interface HostileCaseResult {
  caseId: string;
  method: string;
  /** The case line's target, placeholders unfilled ({forged}, {live}…): stable from run to run. */
  template: string;
  /** The filled target, shortened and JSON-quoted so control characters stay visible. */
  target: string;
  targetBytes: number;
  expectedStatus: number;
  expectedOutcome: string;
  /** null: no answer (timeout, reset). */
  status: number | null;
  /** The target's own label of the page, when it sends one (src/: x-callback-outcome). */
  outcomeLabel?: string;
  /** What the page said, tags stripped, short. */
  message: string;
  /** The page as the target's description reads it: its success page or not, and which of its own refusal pages. */
  page?: { outcome: CallbackOutcome; refusedAs?: string };
  /** What the provider recorded, during the case, of the codes of the states the request carried. */
  provider?: ProviderEffect;
  bodyBytes: number;
  durationMs: number;
  error?: string;
  findings: EchoFinding[];
  callbackAlive: boolean;
  healthOk: boolean | 'no-endpoint';
  toolAlive: boolean;
}

export interface HostileBattery {
  store: string;
  topology: TopologyName;
  label: string;
  pids: { tool: number; callback: number };
  /** A legitimate flow before the battery: what "working" looks like for this store here. */
  control: { status: number; outcome: string; message: string };
  /** Flows started before the battery and completed after it. */
  liveFlows: { outcome: string; status: number; message: string }[];
  cases: HostileCaseResult[];
  /** After every case: both processes alive and /health answering. */
  end: { toolAlive: boolean; callbackAlive: boolean; healthOk: boolean | 'no-endpoint'; toolAnswersMcp: boolean };
  durationMs: number;
}

export interface HostileInputResult {
  quick: boolean;
  caseIds: string[];
  stores: string[];
  batteries: HostileBattery[];
  /** A store × topology whose battery could not run at all (deployment failed, say). */
  errors: (SetupError & { topology: TopologyName })[];
  durationMs: number;
}

export interface HostileOptions {
  /** Shares deployments with the provider-fault and security measurements; stopped by the caller. */
  pool?: DeploymentPool;
  /** Restrict to these case ids (prefix match); default every case. */
  only?: string[];
}

export async function measureHostileInput(ctx: MeasureContext, options: HostileOptions = {}): Promise<HostileInputResult> {
  const started = performance.now();
  const pool = options.pool ?? new DeploymentPool(ctx, { name: 'hostile' });
  const cases = loadHostileCases().filter((c) => !options.only || options.only.some((prefix) => c.id.startsWith(prefix)));
  const batteries: HostileBattery[] = [];
  const errors: HostileInputResult['errors'] = [];
  try {
    await Promise.all(
      ctx.stores.map(async (store) => {
        let topology: TopologyName = 'split-process';
        try {
          const split = await pool.get(store, topology);
          const control = await runLegitFlow(pool, split);
          // A store that loses the state across processes is judged for intactness on single-process too; start it now, in parallel.
          const single = control.visit.reading.outcome === 'success' ? undefined : pool.get(store, 'single-process');
          single?.catch(() => undefined);
          batteries.push(await runBattery(pool, split, cases, control));
          progress(ctx, batteries.at(-1)!);
          if (single) {
            topology = 'single-process';
            const pd = await single;
            // Quick: only the cases that aim at a live state, which is what this second run is for.
            const aimed = ctx.quick ? cases.filter((c) => c.touchesLiveState) : cases;
            batteries.push(await runBattery(pool, pd, aimed, await runLegitFlow(pool, pd)));
            progress(ctx, batteries.at(-1)!);
          }
        } catch (error) {
          errors.push({ ...setupError(store, error), topology });
        }
      }),
    );
  } finally {
    if (!options.pool) await pool.stop();
  }
  const order = (b: HostileBattery) => ctx.stores.indexOf(b.store) * 2 + (b.topology === 'split-process' ? 0 : 1);
  batteries.sort((a, b) => order(a) - order(b));
  return { quick: ctx.quick, caseIds: cases.map((c) => c.id), stores: [...ctx.stores], batteries, errors, durationMs: Math.round(performance.now() - started) };
}

function progress(ctx: MeasureContext, b: HostileBattery): void {
  const answered = b.cases.filter((c) => c.status !== null && c.status >= 400 && c.status < 500).length;
  ctx.onProgress?.(`hostile input × ${b.store} (${b.topology}): ${answered}/${b.cases.length} answered 4xx`);
}

async function runBattery(pool: DeploymentPool, pd: PooledDeployment, cases: HostileCase[], control: Awaited<ReturnType<typeof runLegitFlow>>): Promise<HostileBattery> {
  const started = performance.now();
  const { deployment } = pd;
  const base = deployment.callbackUrl;
  const vocabulary = await learnVocabulary(pd, pool.ctx.target.callbackPath);

  const foreignQuery = await foreignCallbackQuery(pool, pd);
  // Started just before the battery, so that the battery runs while they are in progress.
  const liveCount = pool.ctx.quick ? 3 : 5;
  const live: StartedLegitFlow[] = [];
  for (let i = 0; i < liveCount; i++) live.push(await startLegitFlow(pool, pd));

  const results: HostileCaseResult[] = [];
  let liveIndex = 0;
  for (const hostile of cases) {
    const bindings: CaseBindings = {
      forged: randomBytes(32).toString('base64url'),
      live: live[liveIndex++ % live.length]!.state,
      foreignQuery,
      replayQuery: new URL(control.callbackUrl).search.slice(1),
    };
    results.push(await fireCase(pool, pd, hostile, bindings, vocabulary));
  }

  const liveFlows = [];
  for (const flow of live) {
    try {
      const callbackUrl = await authorizeFlow(pool, pd, flow);
      const visit = await visitCallback(pool, pd, callbackUrl, flow.flow);
      liveFlows.push({ outcome: visit.reading.outcome, status: visit.status, message: visit.reading.message.slice(0, 160) });
    } catch (error) {
      liveFlows.push({ outcome: 'harness-error', status: 0, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const toolAnswersMcp = await deployment.tool
    .listToolNames()
    .then((names) => names.includes(pool.ctx.target.tools.startFlow))
    .catch(() => false);
  return {
    store: pd.store,
    topology: pd.topology,
    label: pd.label,
    pids: { tool: deployment.toolPid, callback: deployment.callbackPid },
    control: { status: control.visit.status, outcome: control.visit.reading.outcome, message: control.visit.reading.message.slice(0, 160) },
    liveFlows,
    cases: results,
    end: { toolAlive: processAlive(deployment.toolPid), callbackAlive: processAlive(deployment.callbackPid), healthOk: await health(base, pool.ctx.target.healthPath), toolAnswersMcp },
    durationMs: Math.round(performance.now() - started),
  };
}

async function fireCase(pool: DeploymentPool, pd: PooledDeployment, hostile: HostileCase, bindings: CaseBindings, vocabulary: MarkupVocabulary): Promise<HostileCaseResult> {
  const { deployment } = pd;
  const target = fillCase(aimAtCallback(hostile.template, pool.ctx.target.callbackPath), bindings);
  const request: RawRequest = { method: hostile.method, target };
  if (hostile.method !== 'GET' && hostile.method !== 'HEAD' && hostile.method !== 'OPTIONS' && hostile.method !== 'TRACE') {
    request.body = `code=hostile-code&state=${encodeURIComponent(bindings.forged)}`;
    request.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  }
  const states = carriedStates(target, request.body);
  const redemptionsBefore = await countRedemptions(pool.ctx.mock, states);
  const shown = JSON.stringify(target.length > 140 ? `${target.slice(0, 100)}…(${target.length} chars)…${target.slice(-30)}` : target);
  const base = {
    caseId: hostile.id,
    method: hostile.method,
    template: visible(hostile.template),
    target: shown,
    targetBytes: Buffer.byteLength(target, 'latin1'),
    expectedStatus: hostile.expectedStatus,
    expectedOutcome: hostile.expectedOutcome,
  };
  const started = performance.now();
  let answer: HostileCaseResult;
  try {
    const response = await pd.history.perform(
      { f: 'hostile-request', process: `callback#${deployment.callbackPid}`, value: { case: hostile.id } },
      () => rawRequest(deployment.callbackUrl, request, pd.answers.budgetMs(CASE_TIMEOUT_MS)),
      (r) => ({ case: hostile.id, status: r.status, bytes: r.body.length }),
    );
    pd.answers.record(response.durationMs);
    pool.sawPage(`${deployment.callbackUrl}${target.slice(0, 200)}`, response.body, pd.store);
    const findings = scanEcho({ body: response.body, headerBlock: response.headerBlock, payloads: payloadValues(target), vocabulary });
    const reading = readCallbackPage({ url: target, status: response.status, body: response.body, contentType: response.headers['content-type'] ?? '' }, pool.ctx.target);
    answer = {
      ...base,
      status: response.status,
      ...(response.headers['x-callback-outcome'] ? { outcomeLabel: response.headers['x-callback-outcome'] } : {}),
      // The <head> (title) repeats the heading; the user reads the body.
      message: pageText(response.body.replace(/<head[\s\S]*?<\/head>/i, '')).slice(0, 200),
      page: { outcome: reading.outcome, ...(reading.refusedAs ? { refusedAs: reading.refusedAs } : {}) },
      bodyBytes: Buffer.byteLength(response.body),
      durationMs: round(response.durationMs),
      findings,
      callbackAlive: false,
      healthOk: false,
      toolAlive: false,
    };
  } catch (error) {
    answer = {
      ...base,
      status: null,
      message: '',
      bodyBytes: 0,
      durationMs: round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
      findings: [],
      callbackAlive: false,
      healthOk: false,
      toolAlive: false,
    };
  }
  answer.provider = providerEffect(redemptionsBefore, await countRedemptions(pool.ctx.mock, states));
  answer.callbackAlive = processAlive(deployment.callbackPid);
  answer.toolAlive = processAlive(deployment.toolPid);
  answer.healthOk = await health(deployment.callbackUrl, pool.ctx.target.healthPath);
  return answer;
}

/** The page's own markup, from benign requests that reach each kind of answer. */
async function learnVocabulary(pd: PooledDeployment, callbackPath: string): Promise<MarkupVocabulary> {
  const base = pd.deployment.callbackUrl;
  // Benign answers are the first measure of how fast this callback answers here: the hostile cases' waits grow from them.
  const ask = (request: RawRequest) =>
    rawRequest(base, request, pd.answers.budgetMs(CASE_TIMEOUT_MS)).then((r) => {
      pd.answers.record(r.durationMs);
      return r.body;
    });
  const benign = [
    `${callbackPath}?code=benign&state=benign`,
    callbackPath,
    `${callbackPath}?code=a&code=b&state=benign`,
    `${callbackPath}?error=benign&error_description=benign`,
    '/benign-missing-page',
    `${callbackPath}?state=${'b'.repeat(20 * 1024)}`,
  ];
  const pages = await Promise.all(benign.map((target) => ask({ method: 'GET', target })));
  pages.push(await ask({ method: 'DELETE', target: callbackPath }));
  return mergeVocabulary(pages);
}


const round = (ms: number) => Math.round(ms * 10) / 10;

/** A target as a reader can take it: control characters escaped, quotes only when something needed escaping. */
function visible(target: string): string {
  const quoted = JSON.stringify(target);
  return quoted.slice(1, -1) === target ? target : quoted;
}

