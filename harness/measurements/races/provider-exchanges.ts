/**
 * The provider's side of a race, as evidence: how many authorization-code
 * exchanges the mock Atlassian server saw from one client after a point in
 * its request log. A callback exchanges the code only after it has found
 * the state, so this counts the state lookups that succeeded, seen from
 * outside both the store and the callback page.
 */
import type { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';

interface LoggedRequest {
  seq: number;
  path: string;
  body?: Record<string, string>;
  status: number;
  error?: string;
}

export interface ExchangeMark {
  seq: number;
}

async function log(mock: MockAtlassian): Promise<LoggedRequest[]> {
  return (await mock.requests()) as LoggedRequest[];
}

export async function markExchanges(mock: MockAtlassian): Promise<ExchangeMark | undefined> {
  try {
    return { seq: Math.max(0, ...(await log(mock)).map((r) => r.seq)) };
  } catch {
    return undefined;
  }
}

/**
 * A code exchange: grant_type authorization_code, or (GitHub's OAuth apps, which need no grant_type) a token
 * request that carries a code and names no other grant.
 */
function isCodeExchange(body: Record<string, string> | undefined): boolean {
  if (!body) return false;
  return body.grant_type === 'authorization_code' || (body.grant_type === undefined && body.code !== undefined);
}

/** Code exchanges by clientId since the mark, with the provider's answer to each; undefined when the log cannot be read. */
export async function exchangesSince(mock: MockAtlassian, mark: ExchangeMark | undefined, clientId: string): Promise<{ status: number; error?: string }[] | undefined> {
  if (!mark) return undefined;
  try {
    return (await log(mock))
      .filter((r) => r.seq > mark.seq && isCodeExchange(r.body) && r.body!.client_id === clientId)
      .map((r) => ({ status: r.status, ...(r.error ? { error: r.error } : {}) }));
  } catch {
    return undefined;
  }
}
