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
import { UserAgent } from './user-agent.ts';
import { toMock } from './provider-hosts.ts';
import { statePrefix } from './state-prefix.ts';
import { handOff } from './token-handoff.ts';
import type { FlowEndpoints, StartedFlow } from './flow-endpoints.ts';

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

export async function completeFlow(
  endpoints: FlowEndpoints,
  target: TargetDescription,
  history: History,
  started: StartedFlow,
  callbackUrl: string,
): Promise<void> {
  const { flow } = started;
  const agent = new UserAgent();
  const callbackPath = new URL(target.callbackPath, callbackUrl);
  const isCallback = (url: URL) => url.origin === callbackPath.origin && url.pathname === callbackPath.pathname;

  let next: string;
  try {
    next = await history.perform(
      { f: 'authorize', process: 'user-agent', flow },
      async () => {
        const result = await agent.follow(started.authUrl, { stopBefore: isCallback });
        if (!result.next) throw new Error(`authorize did not redirect to the callback: HTTP ${result.page?.status} at ${result.page?.url}`);
        return { next: result.next, hops: result.hops.length, cookies: agent.cookieCount() };
      },
      (value) => ({ hops: value.hops, cookies: value.cookies, redirectedWith: [...new URL(value.next).searchParams.keys()] }),
    ).then((value) => value.next);
  } catch {
    return;
  }

  const reading = await history
    .perform({ f: 'callback', process: `callback#${endpoints.callbackPid()}`, flow }, async () => {
      const { page } = await agent.follow(next);
      if (!page) throw new Error('callback redirected somewhere else');
      const read = readCallbackPage(page, target);
      if (read.outcome !== 'success') throw Object.assign(new Error(read.message), { evidence: read });
      return read;
    })
    .catch(() => undefined);
  if (!reading) return;

  await handOff(endpoints, target, history, started);
}
