/**
 * harness/deploy/flow/: the user's side of a flow: the user agent, the steps of a flow, callback pages read, raw HTTP.
 *
 * Drives one OAuth flow the way a user does: an MCP client calls the start
 * tool on the tool process, a browser follows the authorize URL to the mock
 * and back to the callback, then the whoami tool shows whether the token
 * reached the tool process (token-handoff.ts). Every step is an operation in the history; no
 * verdict is made here.
 */
import type { ToolClient } from '../mcp/tool-client.ts';
import type { History } from '../../core/history.ts';
import type { TargetDescription } from '../target/target-description.ts';
import { readCallbackPage } from './callback-outcome.ts';
import { UserAgent, type Page } from './user-agent.ts';
import { toMock } from './provider-hosts.ts';
import { statePrefix } from './state-prefix.ts';
import { handOff } from './token-handoff.ts';
import type { FlowEndpoints, StartedFlow } from './flow-endpoints.ts';
import type { Browser } from 'playwright-core';
import { BrowserTab, type BrowserPage } from '../browser/browser-tab.ts';

export type { FlowEndpoints, StartedFlow };

export { handOff };


export { statePrefix };

export async function startFlow(
  endpoints: FlowEndpoints,
  target: TargetDescription,
  history: History,
  flow: number,
): Promise<StartedFlow | undefined> {
  try {
    return await history.perform(
      { f: 'start_oauth', process: `tool#${endpoints.toolPid}`, flow },
      async () => {
        const result = await endpoints.tool.call(target.tools.startFlow, { ...target.tools.startFlowArgs });
        if (result.isError) throw new Error(`${target.tools.startFlow} returned a tool error: ${result.text}`);
        const found = target.authorizeUrlFrom(result);
        if (!found) throw new Error(`${target.tools.startFlow} result has no authorize URL`);
        const authUrl = toMock(found, endpoints.providerUrl);
        const state = new URL(authUrl).searchParams.get('state') ?? '';
        return { flow, authUrl, state };
      },
      (started) => ({ state: statePrefix(started.state), authorizeOrigin: new URL(started.authUrl).origin }),
    );
  } catch {
    return undefined;
  }
}

/** How the user's side of a flow is played: the HTTP user agent (default), or a real browser. */
export interface FlowAgentOptions {
  /** A running Chromium: the flow goes through the provider's consent page and the callback page in a real tab. */
  browser?: Browser;
  /** Called with the callback page as the browser rendered it (headers, requests, dialogs, screenshot). */
  onBrowserPage?: (page: BrowserPage) => void;
  /** Take a screenshot of the callback page (browser only). */
  screenshot?: boolean;
}

export async function completeFlow(
  endpoints: FlowEndpoints,
  target: TargetDescription,
  history: History,
  started: StartedFlow,
  callbackUrl: string,
  options: FlowAgentOptions = {},
): Promise<void> {
  const { flow } = started;
  const callbackPath = new URL(target.callbackPath, callbackUrl);
  const isCallback = (url: URL) => url.origin === callbackPath.origin && url.pathname === callbackPath.pathname;
  const agent = options.browser ? await BrowserTab.open(options.browser) : new UserAgent();
  try {
    let next: string;
    try {
      next = await history.perform(
        { f: 'authorize', process: options.browser ? 'browser' : 'user-agent', flow },
        async () => {
          if (agent instanceof BrowserTab) {
            const result = await agent.authorize(started.authUrl, isCallback);
            return { next: result.next, hops: result.hops.length, consent: result.consentShown ? 'page, accepted' : 'automatic' };
          }
          const result = await agent.follow(started.authUrl, { stopBefore: isCallback });
          if (!result.next) throw new Error(`authorize did not redirect to the callback: HTTP ${result.page?.status} at ${result.page?.url}`);
          return { next: result.next, hops: result.hops.length, cookies: agent.cookieCount() };
        },
        ({ next: nextUrl, ...rest }) => ({ ...rest, redirectedWith: [...new URL(nextUrl).searchParams.keys()] }),
      ).then((value) => value.next);
    } catch {
      return;
    }

    const reading = await history
      .perform({ f: 'callback', process: `callback#${endpoints.callbackPid()}`, flow }, async () => {
        let page: Page;
        if (agent instanceof BrowserTab) {
          const seen = await agent.callbackPage({ screenshot: options.screenshot ?? false });
          options.onBrowserPage?.(seen);
          page = seen;
        } else {
          const followed = await agent.follow(next);
          if (!followed.page) throw new Error('callback redirected somewhere else');
          page = followed.page;
        }
        const read = readCallbackPage(page, target);
        if (read.outcome !== 'success') throw Object.assign(new Error(read.message), { evidence: read });
        return read;
      })
      .catch(() => undefined);
    if (!reading) return;

    await handOff(endpoints, target, history, started);
  } finally {
    if (agent instanceof BrowserTab) await agent.close();
  }
}
