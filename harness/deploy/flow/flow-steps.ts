/**
 * A flow cut into the steps a race (or a clock move) needs to come
 * between: start, authorize (the browser stops just before the callback,
 * URL in hand), deliver the callback to a chosen callback process, hand-off. Recorded in the history the way
 * harness/flow/drive-flow.ts records them, so the same checkers read them.
 */
import { readCallbackPage, type CallbackReading } from './callback-outcome.ts';
import { startFlow, type FlowEndpoints, type StartedFlow } from './drive-flow.ts';
import { UserAgent } from './user-agent.ts';
import type { History } from '../../core/history.ts';
import type { TargetDescription } from '../target/target-description.ts';

/** What one delivered callback did; 'no-response' when the request itself failed. */
export interface CallbackResult {
  outcome: CallbackReading['outcome'] | 'no-response';
  status?: number;
  message: string;
  /** The target's own name for the refusal page it showed (`callbackPage.refused`). */
  refusedAs?: string;
}

/** start_oauth, recorded; a failure ends the race as a harness error. */
export async function startOrThrow(endpoints: FlowEndpoints, target: TargetDescription, history: History, flow: number): Promise<StartedFlow> {
  const started = await startFlow(endpoints, target, history, flow);
  if (!started) throw new Error(`start_oauth for flow ${flow} failed (see the history)`);
  return started;
}

/** Follows the authorize URL to the mock and back, stopping before the callback; returns the callback URL. */
export async function authorize(history: History, target: TargetDescription, started: StartedFlow, callbackBaseUrl: string): Promise<string> {
  const callback = new URL(target.callbackPath, callbackBaseUrl);
  const isCallback = (url: URL) => url.origin === callback.origin && url.pathname === callback.pathname;
  return history.perform(
    { f: 'authorize', process: 'user-agent', flow: started.flow },
    async () => {
      const result = await new UserAgent().follow(started.authUrl, { stopBefore: isCallback });
      if (!result.next) throw new Error(`authorize did not redirect to the callback: HTTP ${result.page?.status} at ${result.page?.url}`);
      return result.next;
    },
    (next) => ({ redirectedWith: [...new URL(next).searchParams.keys()] }),
  );
}

/** Sends the browser to callbackUrl, re-aimed at the callback process listening at viaBaseUrl. */
export async function deliverCallback(
  history: History,
  target: TargetDescription,
  flow: number,
  callbackUrl: string,
  via: { baseUrl: string; pid: number },
): Promise<CallbackResult> {
  const aimed = new URL(callbackUrl);
  const base = new URL(via.baseUrl);
  aimed.protocol = base.protocol;
  aimed.host = base.host;
  try {
    const reading = await history.perform({ f: 'callback', process: `callback#${via.pid}`, flow }, async () => {
      const { page } = await new UserAgent(60_000).follow(aimed.toString());
      if (!page) throw new Error('callback redirected somewhere else');
      const read = readCallbackPage(page, target);
      if (read.outcome !== 'success') throw Object.assign(new Error(read.message), { evidence: read });
      return read;
    });
    return { outcome: reading.outcome, status: reading.status, message: reading.message };
  } catch (error) {
    const evidence = (error as { evidence?: CallbackReading }).evidence;
    if (evidence) return { outcome: evidence.outcome, status: evidence.status, message: evidence.message, ...(evidence.refusedAs ? { refusedAs: evidence.refusedAs } : {}) };
    return { outcome: 'no-response', message: error instanceof Error ? error.message : String(error) };
  }
}

export { handOff } from './token-handoff.ts';

/** One phrase for a report: "success", or the outcome and the message the user saw. */
export function describeCallback(result: CallbackResult): string {
  return result.outcome === 'success' ? 'success' : `${result.outcome}: ${result.message}`;
}
