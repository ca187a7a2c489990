/**
 * The user agent (flow/user-agent.ts) sends its requests with the global
 * fetch and records no response headers, so on its own it cannot say which
 * replica served the authorize hop or the provider's callback. Rather than
 * change it, the global fetch is wrapped once: inside `withUserAgentFetch`
 * (an async context of its own, so concurrent flows do not see each other's
 * requests) every request goes through the flow's recording fetch; outside
 * one, the wrapper is the original fetch and nothing else. Should the user
 * agent stop using the global fetch, the driver notices (fewer requests
 * observed than hops the user agent reports) and says so instead of
 * recording a partial flow.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** On globalThis, so a second copy of this module (test files sharing a worker) finds the original and does not wrap twice. */
const ORIGINAL = Symbol.for('oauth-state-repro.unobserved-fetch');
const CONTEXT = Symbol.for('oauth-state-repro.user-agent-fetch-context');

type Globals = typeof globalThis & { [ORIGINAL]?: typeof fetch; [CONTEXT]?: AsyncLocalStorage<FetchLike> };

/** The global fetch as it was before any observation: what the recording fetch really sends with. */
export function unobservedFetch(): typeof fetch {
  return (globalThis as Globals)[ORIGINAL] ?? globalThis.fetch;
}

/** Runs `work` with every global fetch it makes (directly or through the user agent) going through `observer`. */
export function withUserAgentFetch<T>(observer: FetchLike, work: () => Promise<T>): Promise<T> {
  return context().run(observer, work);
}

function context(): AsyncLocalStorage<FetchLike> {
  const globals = globalThis as Globals;
  if (globals[CONTEXT]) return globals[CONTEXT];
  const storage = new AsyncLocalStorage<FetchLike>();
  const original = globalThis.fetch;
  globals[ORIGINAL] = original;
  globals[CONTEXT] = storage;
  globalThis.fetch = function observedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const observer = storage.getStore();
    return observer && !(input instanceof Request) ? observer(input, init) : original(input, init);
  } as typeof fetch;
  return storage;
}
