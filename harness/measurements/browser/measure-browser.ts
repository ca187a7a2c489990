/**
 * The user's side in a real Chromium, for one target with its
 * default store: one flow per topology through the provider's consent page
 * (clicked) to the callback page, judged against what the scenario of that
 * topology expects, with a screenshot of each callback page; the page a user
 * sees when the state is lost; every hostile URL a browser can send,
 * replayed to see whether injected script runs; and what the callback pages
 * sent and asked for (headers, requests), for the checks in page-checks.ts.
 * Returns data only; browser-rows.ts judges.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { runChecker } from '../../core/checkers/checker.ts';
import { expectationChecker, targetMessageMatcher } from '../../core/checkers/expectation.ts';
import { expectationFor, REJECTED_AS_INVALID_STATE } from '../../core/expectations.ts';
import { loadScenarios } from '../../core/load-scenarios.ts';
import type { Expectation } from '../../core/scenario.ts';
import { TOPOLOGY_NAMES, type TopologyName } from '../../core/topologies.ts';
import { chromiumMissing, launchChromium } from '../../deploy/browser/chromium.ts';
import { BrowserTab, type BrowserPage } from '../../deploy/browser/browser-tab.ts';
import { DeploymentPool, type PooledDeployment } from '../../deploy/deployment-pool.ts';
import { readCallbackPage } from '../../deploy/flow/callback-outcome.ts';
import { completeFlow, startFlow } from '../../deploy/flow/drive-flow.ts';
import { loadHostileCases } from '../hostile-input/hostile-cases.ts';
import type { MeasureContext } from '../measure-context.ts';
import type { CheckedPage, ReplayObservation } from './page-checks.ts';
import { markerCases, replayableCases, type NotReplayed, type ReplayCase } from './replay-cases.ts';
import { describeError, isHarnessError } from '../../core/harness-error.ts';

export interface ReadPage extends CheckedPage {
  outcome: string;
  message: string;
  /** PNG, relative to the run folder. */
  screenshot?: string;
}

export interface BrowserFlowRecord {
  topology: TopologyName;
  store: string;
  expected: Expectation;
  matched: boolean | 'unknown';
  /** What the flow did, in the scenario table's words: "pass", or the stage and message it failed with. */
  observed: string;
  /** The provider showed its consent page and the browser clicked Accept. */
  consent: 'page, accepted' | 'automatic' | 'not reached';
  page?: ReadPage;
  error?: string;
  /** The error was the harness's own trouble (its deployment would not start after retries). */
  harnessError?: boolean;
}

export interface BrowserResult {
  /** Set when no browser could run: the one line the report shows instead of the rows. */
  skipped?: string;
  chromiumVersion?: string;
  target: string;
  /** The store the browser flows ran with (the target's default). */
  store: string;
  /** Every store of the run (the rows say n/a for the others). */
  stores: string[];
  flows: BrowserFlowRecord[];
  /** The page a user sees when the state is lost: from a flow that lost it, else from a callback whose state no one issued. */
  invalidState?: { source: 'flow' | 'forged-state'; topology: TopologyName; page: ReadPage };
  replayedOn?: TopologyName;
  replays: ReplayObservation[];
  /**
   * Set only when the caller named the cases to replay (a test proving the
   * mechanism): how many URLs the full replay has. Absent: every case was replayed.
   */
  replaySubsetOf?: number;
  notReplayed: NotReplayed[];
  durationMs: number;
  /**
   * Where the time went: Chromium and the three deployments up, the flows,
   * the replay. The replay starts once the flow on its deployment has
   * ended, so it overlaps the other flows: the phases add up to more than the whole.
   */
  phases?: { upMs: number; flowsMs: number; replayMs: number };
}

export interface MeasureBrowserOptions {
  /**
   * Replay only these cases (ids of replay-cases.ts: hostile case ids and
   * `marker/…`), for a test that needs the mechanism, not the coverage. An
   * id that names no replayable case is an error, so a renamed case cannot
   * shrink the replay unseen. Default: every case.
   */
  replayOnly?: readonly string[];
}

const SCREENSHOT_DIR = 'browser';

export async function measureBrowser(ctx: MeasureContext, options: MeasureBrowserOptions = {}): Promise<BrowserResult> {
  const started = performance.now();
  const store = ctx.target.defaultStore && ctx.stores.includes(ctx.target.defaultStore) ? ctx.target.defaultStore : ctx.stores[0]!;
  const base: BrowserResult = { target: ctx.target.name, store, stores: [...ctx.stores], flows: [], replays: [], notReplayed: [], durationMs: 0 };
  const missing = chromiumMissing();
  if (missing) {
    ctx.onProgress?.(`browser: ${missing}`);
    return { ...base, skipped: missing };
  }
  const { replay, notReplayed } = replayableCases(loadHostileCases(), ctx.target.callbackPath);
  const allCases = [...replay, ...markerCases(ctx.target.callbackPath)];
  const cases = options.replayOnly ? chosenCases(allCases, options.replayOnly) : allCases;

  // As the real provider does: a consent page the user clicks through (this measurement has a mock of its own).
  await ctx.mock.setKnobs({ consent: 'form' });
  const scenarios = await loadScenarios();
  const pool = new DeploymentPool(ctx, { name: 'browser' });
  let browser: Browser | undefined;
  try {
    const [launched] = await Promise.all([launchChromium(), ...TOPOLOGY_NAMES.map((topology) => pool.get(store, topology).catch(() => undefined))]);
    browser = launched;
    const upAt = performance.now();
    const chromiumVersion = browser.version();
    const running = browser;
    mkdirSync(path.join(ctx.run.dir, SCREENSHOT_DIR), { recursive: true });

    const flowRuns = TOPOLOGY_NAMES.map(async (topology, index) => {
      const scenario = scenarios.find((s) => s.topology === topology && s.faultsBetweenStartAndCallback.length === 0);
      const expected = scenario ? expectationFor(scenario, store, ctx.target.stores[store]) : undefined;
      return browserFlow(ctx, pool, running, store, topology, index + 1, expected);
    });
    // The replay waits for the flow on its own deployment only: nothing of the replay reaches the other flows' deployments.
    const replayTopology: TopologyName = 'single-process';
    const replayDeployment = pool.get(store, replayTopology);
    const replayRun = flowRuns[TOPOLOGY_NAMES.indexOf(replayTopology)]!.then(async () => {
      const replayStarted = performance.now();
      const replays = await replayAll(running, await replayDeployment, cases);
      return { replays, replayMs: Math.round(performance.now() - replayStarted) };
    });
    // Settled even if the flows throw first, so no rejection is left unhandled.
    replayRun.catch(() => undefined);
    const flows = await Promise.all(flowRuns);
    const flowsAt = performance.now();
    ctx.onProgress?.(`browser: ${flows.map((f) => `${f.topology} ${f.matched === true ? 'as expected' : f.matched === false ? 'NOT as expected' : 'unknown'}`).join(', ')}`);

    const lost = flows.find((flow) => flow.page?.outcome === 'invalid-state');
    const invalidState = lost?.page
      ? { source: 'flow' as const, topology: lost.topology, page: lost.page }
      : await forgedStatePage(ctx, running, await replayDeployment);
    const { replays, replayMs } = await replayRun;
    const phases = { upMs: Math.round(upAt - started), flowsMs: Math.round(flowsAt - upAt), replayMs };
    ctx.onProgress?.(
      `browser: ${replays.length}${options.replayOnly ? ` of ${allCases.length}` : ''} hostile URLs replayed in Chromium (up ${phases.upMs} ms, flows ${phases.flowsMs} ms, replay ${phases.replayMs} ms, overlapping the flows)`,
    );
    return {
      ...base,
      chromiumVersion,
      flows,
      ...(invalidState ? { invalidState } : {}),
      replayedOn: replayTopology,
      replays,
      ...(options.replayOnly ? { replaySubsetOf: allCases.length } : {}),
      notReplayed,
      durationMs: Math.round(performance.now() - started),
      phases,
    };
  } finally {
    await Promise.all([browser?.close().catch(() => undefined), pool.stop()]);
  }
}

/** The cases named, in the order of the full replay; every name must match one. */
function chosenCases(cases: readonly ReplayCase[], ids: readonly string[]): ReplayCase[] {
  const unknownIds = ids.filter((id) => !cases.some((c) => c.id === id));
  if (unknownIds.length > 0) throw new Error(`browser: replayOnly names no replayable case: ${unknownIds.join(', ')}`);
  return cases.filter((c) => ids.includes(c.id));
}

async function browserFlow(
  ctx: MeasureContext,
  pool: DeploymentPool,
  browser: Browser,
  store: string,
  topology: TopologyName,
  flow: number,
  expected: Expectation | undefined,
): Promise<BrowserFlowRecord> {
  const record = (fields: Partial<BrowserFlowRecord>): BrowserFlowRecord => ({
    topology,
    store,
    expected: expected ?? { outcome: 'pass' },
    matched: 'unknown',
    observed: 'not run',
    consent: 'not reached',
    ...fields,
  });
  if (!expected) return record({ error: `no scenario without faults states what ${topology} should do` });
  let pd: PooledDeployment;
  try {
    pd = await pool.get(store, topology);
  } catch (error) {
    return record({ error: `deployment failed: ${describeError(error)}`, harnessError: isHarnessError(error) });
  }
  const { deployment, history } = pd;
  let seen: BrowserPage | undefined;
  const startedFlow = await startFlow(deployment.endpoints, ctx.target, history, flow);
  if (startedFlow) {
    await completeFlow(deployment.endpoints, ctx.target, history, startedFlow, deployment.callbackUrl, {
      browser,
      screenshot: true,
      onBrowserPage: (page) => {
        seen = page;
      },
    });
  }
  const verdict = runChecker('expectation', expectationChecker(expected, targetMessageMatcher(ctx.target, REJECTED_AS_INVALID_STATE.message)), history.ops);
  const observed = verdict.details?.observed;
  const authorize = history.ops.find((op) => op.f === 'authorize' && op.type === 'ok' && op.flow === flow);
  const consent = ((authorize?.value as { consent?: string } | undefined)?.consent ?? 'not reached') as BrowserFlowRecord['consent'];
  return record({
    matched: verdict.valid,
    observed: observed ? (observed.outcome === 'pass' ? 'pass' : `fail at ${observed.stage}: ${observed.message ?? ''}`) : 'unknown',
    consent,
    ...(seen ? { page: readPage(ctx, seen, topology, `${topology}.png`) } : {}),
  });
}

/** A callback carrying a state no one issued: the page a user sees once the state is lost. */
async function forgedStatePage(ctx: MeasureContext, browser: Browser, pd: PooledDeployment): Promise<BrowserResult['invalidState']> {
  const url = new URL(ctx.target.callbackPath, pd.deployment.callbackUrl);
  url.searchParams.set('code', 'browser-forged-code');
  url.searchParams.set('state', randomBytes(32).toString('base64url'));
  const tab = await BrowserTab.open(browser);
  try {
    const seen = await tab.visit(url.toString(), { screenshot: true });
    const page = readPage(ctx, seen, `${pd.topology}, forged state`, 'invalid-state.png');
    return page.outcome === 'invalid-state' ? { source: 'forged-state', topology: pd.topology, page } : undefined;
  } catch {
    return undefined;
  } finally {
    await tab.close();
  }
}

/**
 * One tab, reused from URL to URL (a fresh context costs more than the page
 * load itself here); what it saw is reset at every visit, dialogs are
 * dismissed as they open, and a tab whose navigation failed is replaced so
 * an error page cannot leak into the next case. One tab, not several: on 2
 * cores, 4 tabs took twice as long as 1 for the same 72 URLs (each tab is
 * a renderer process of its own, and they fought over the cores).
 */
async function replayAll(browser: Browser, pd: PooledDeployment, cases: readonly ReplayCase[]): Promise<ReplayObservation[]> {
  const origin = new URL(pd.deployment.callbackUrl).origin;
  const observations: ReplayObservation[] = [];
  let tab = await BrowserTab.open(browser);
  try {
    for (const replay of cases) {
      try {
        const page = await tab.visit(`${origin}${replay.pathAndQuery}`);
        observations.push({ id: replay.id, status: page.status, dialogs: page.dialogs, console: page.console, ...(page.marker !== undefined ? { marker: page.marker } : {}) });
      } catch (error) {
        observations.push({ id: replay.id, status: null, dialogs: [], console: [], error: (error instanceof Error ? error.message.split('\n')[0]! : String(error)).slice(0, 200) });
        await tab.close();
        tab = await BrowserTab.open(browser);
      }
    }
  } finally {
    await tab.close();
  }
  return observations;
}

/** The page as the checks need it, labelled by what it said and where (`<outcome> (<where>)`), its screenshot written to the run folder. */
function readPage(ctx: MeasureContext, page: BrowserPage, where: string, screenshotName: string): ReadPage {
  const reading = readCallbackPage(page, ctx.target);
  const pageLabel = `${reading.outcome === 'invalid-state' ? 'invalid state' : reading.outcome} (${where})`;
  let screenshot: string | undefined;
  if (page.screenshot) {
    screenshot = path.join(SCREENSHOT_DIR, screenshotName);
    writeFileSync(path.join(ctx.run.dir, screenshot), page.screenshot);
  }
  return {
    label: pageLabel,
    url: page.url,
    status: page.status,
    headers: pick(page.headers, ['cache-control', 'referrer-policy', 'content-security-policy', 'content-type', 'x-frame-options', 'x-content-type-options']),
    subresources: page.subresources,
    refused: page.refused,
    outcome: reading.outcome,
    message: reading.message,
    ...(screenshot ? { screenshot } : {}),
  };
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]!]));
}
