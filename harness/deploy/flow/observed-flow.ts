/**
 * The steps of one legitimate OAuth flow, each taken separately so that a
 * measurement can put a fault, a hostile request or a pause between them,
 * and each recorded in the deployment's history. Every URL and page the
 * user sees is handed to the pool (the security checks read them later).
 * Knows the target only through its description.
 */
import { toMock } from './provider-hosts.ts';
import { pageText, readCallbackPage, type CallbackReading } from './callback-outcome.ts';
import { statePrefix } from './drive-flow.ts';
import { UserAgent } from './user-agent.ts';
import type { DeploymentPool, PooledDeployment } from '../deployment-pool.ts';

export interface StartedLegitFlow {
  flow: number;
  authUrl: string;
  state: string;
}

export interface CallbackVisit {
  url: string;
  status: number;
  reading: CallbackReading;
  /** The whole page text, tags stripped: what the user read. */
  text: string;
  durationMs: number;
}

let flowCounter = 0;

export async function startLegitFlow(pool: DeploymentPool, pd: PooledDeployment): Promise<StartedLegitFlow> {
  const { target } = pool.ctx;
  const flow = ++flowCounter;
  return pd.history.perform(
    { f: 'start_oauth', process: `tool#${pd.deployment.toolPid}`, flow },
    async () => {
      const result = await pd.deployment.tool.call(target.tools.startFlow, { ...target.tools.startFlowArgs });
      if (result.isError) throw new Error(`${target.tools.startFlow} returned a tool error: ${result.text}`);
      const found = target.authorizeUrlFrom(result);
      if (!found) throw new Error(`${target.tools.startFlow} result has no authorize URL`);
      const authUrl = toMock(found, pool.ctx.mock.url);
      pool.sawUrl(authUrl, pd.store);
      return { flow, authUrl, state: new URL(authUrl).searchParams.get('state') ?? '' };
    },
    (started) => ({ state: statePrefix(started.state) }),
  );
}

/** Follows the authorize URL at the mock up to (not into) the callback; returns the callback URL. */
export async function authorizeFlow(pool: DeploymentPool, pd: PooledDeployment, flow: StartedLegitFlow, agent = new UserAgent()): Promise<string> {
  const callback = new URL(pool.ctx.target.callbackPath, pd.deployment.callbackUrl);
  return pd.history.perform(
    { f: 'authorize', process: 'user-agent', flow: flow.flow },
    async () => {
      const result = await agent.follow(flow.authUrl, { stopBefore: (url) => url.origin === callback.origin && url.pathname === callback.pathname });
      for (const hop of result.hops) {
        pool.sawUrl(hop.url, pd.store);
        if (hop.location) pool.sawUrl(hop.location, pd.store);
      }
      if (result.page) pool.sawPage(result.page.url, result.page.body, pd.store);
      if (!result.next) throw new Error(`authorize did not redirect to the callback: HTTP ${result.page?.status} ${pageText(result.page?.body ?? '').slice(0, 160)}`);
      return result.next;
    },
    (next) => ({ redirectedWith: [...new URL(next).searchParams.keys()] }),
  );
}

/** Opens a callback URL as the browser would and reads what the page told the user. Never throws for an error page. */
export async function visitCallback(pool: DeploymentPool, pd: PooledDeployment, url: string, flow?: number, agent = new UserAgent()): Promise<CallbackVisit> {
  const started = performance.now();
  return pd.history.perform(
    { f: 'callback', process: `callback#${pd.deployment.callbackPid}`, ...(flow !== undefined ? { flow } : {}) },
    async () => {
      pool.sawUrl(url, pd.store);
      const { page } = await agent.follow(url, { maxHops: 3 });
      if (!page) throw new Error('callback redirected away');
      pool.sawPage(page.url, page.body, pd.store);
      const reading = readCallbackPage(page, pool.ctx.target);
      // The <head> (title) repeats the heading; the user reads the body.
      const text = pageText(page.body.replace(/<head[\s\S]*?<\/head>/i, ''));
      return { url, status: page.status, reading, text, durationMs: performance.now() - started };
    },
    (visit) => ({ status: visit.status, outcome: visit.reading.outcome, message: visit.reading.message.slice(0, 200) }),
  );
}

/** The target's "who am I" tool: does the tool process still hold a working token? (Not per-flow: see token-handoff.ts.) */
export async function whoami(pool: DeploymentPool, pd: PooledDeployment, flow?: number): Promise<{ ok: boolean; text: string }> {
  const tokenTool = pool.ctx.target.tokenTool;
  if (!tokenTool) return { ok: false, text: 'not observable: the target has no tool that shows who it is signed in as' };
  const result = await pd.history
    .perform(
      { f: 'token-handoff', process: `tool#${pd.deployment.toolPid}`, ...(flow !== undefined ? { flow } : {}) },
      async () => {
        const answer = await pd.deployment.tool.call(tokenTool.tool);
        if (answer.isError) throw new Error(answer.text);
        return answer.text;
      },
      (text) => ({ text: text.slice(0, 120) }),
    )
    .then((text) => ({ ok: true, text }))
    .catch((error: unknown) => ({ ok: false, text: error instanceof Error ? error.message : String(error) }));
  return result;
}

/** start → authorize → callback: the outcome a user gets with nothing in the way. */
export async function runLegitFlow(pool: DeploymentPool, pd: PooledDeployment): Promise<{ started: StartedLegitFlow; callbackUrl: string; visit: CallbackVisit }> {
  const started = await startLegitFlow(pool, pd);
  const agent = new UserAgent();
  const callbackUrl = await authorizeFlow(pool, pd, started, agent);
  const visit = await visitCallback(pool, pd, callbackUrl, started.flow, agent);
  return { started, callbackUrl, visit };
}
