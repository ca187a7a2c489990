/**
 * How a remote flow ended, judged from its hops alone: completed (a tool
 * call answered), broken at a hop (which one, what was lost, on which
 * replica it was looked for and on which it had been created, in the
 * server's words), or incomplete (no hop failed, yet no tool call answered:
 * the harness's side stopped it, not the server). A pure function, so the
 * judgement can be tested on hand-written hop lists.
 *
 * What was lost, by the first hop that failed for a reason of its own:
 * - registration: the client id unknown at authorize or token
 * - authorize-state: the pending authorization unknown at the provider's callback
 * - code: the authorization code unknown or already used at token
 * - token: an access token not accepted by the MCP endpoint
 * - session: a request carrying an Mcp-Session-Id answered 404 or "session not found/terminated"
 * - other: any other failure, kept with its text
 * Failures that are part of a normal flow are not breaks: the 401 that
 * starts it (before any token was issued), a 404 from a metadata URL the SDK
 * then falls back from, a 405 to the optional GET stream.
 */
import type { RemoteHop } from './hop.ts';
import { LOST_STATES, type FlowOutcome, type LostState } from '../../core/remote-vocabulary.ts';

export { LOST_STATES, type FlowOutcome, type LostState };


/** No answer is a failure only when the request gave up; one still waiting when the flow ended has not failed. */
const failed = (hop: RemoteHop) => !hop.inFlight && (hop.status === undefined || hop.status >= 400);
const isMcp = (hop: RemoteHop) => hop.by === 'client' && (hop.kind === 'initialize' || hop.kind === 'tool-call' || (hop.kind === 'other' && (hop.rpc !== undefined || hop.session !== undefined)));
const CLIENT_UNKNOWN = /invalid_client|unauthorized_client|client_id|unknown client|client not found/i;
const SESSION_GONE = /session (?:not found|terminated|expired)|unknown session|invalid session/i;

/** Whether a failed hop is a step of a normal flow rather than a break. */
function expectedFailure(hop: RemoteHop, before: readonly RemoteHop[]): boolean {
  if ((hop.kind === 'resource-metadata' || hop.kind === 'as-metadata') && hop.status === 404) return true;
  if (isMcp(hop) && hop.method === 'GET' && hop.status === 405) return true;
  const tokenIssued = before.some((earlier) => earlier.kind === 'token' && !failed(earlier));
  return isMcp(hop) && hop.status === 401 && !tokenIssued;
}

function lostAt(hop: RemoteHop): LostState {
  const text = hop.errorText ?? '';
  switch (hop.kind) {
    case 'authorize':
    case 'redirect-uri':
      if (CLIENT_UNKNOWN.test(text)) return 'registration';
      return /\bstate\b/i.test(text) ? 'authorize-state' : 'other';
    case 'provider-callback':
      return 'authorize-state';
    case 'token':
      if (CLIENT_UNKNOWN.test(text)) return 'registration';
      return /invalid_grant|\bcode\b/i.test(text) ? 'code' : 'other';
    default:
      if (!isMcp(hop) || hop.status === undefined) return 'other';
      if (hop.session !== undefined && (hop.status === 404 || SESSION_GONE.test(text))) return 'session';
      return hop.status === 401 || hop.status === 403 ? 'token' : 'other';
  }
}

const lastOk = (hops: readonly RemoteHop[], match: (hop: RemoteHop) => boolean) => hops.filter((hop) => match(hop) && !failed(hop)).at(-1);

/** The replica that made the state the failing hop looked for. */
function createdOn(lost: LostState, before: readonly RemoteHop[]): string | undefined {
  switch (lost) {
    case 'registration':
      return lastOk(before, (hop) => hop.kind === 'registration')?.replica;
    case 'authorize-state':
      return lastOk(before, (hop) => hop.kind === 'authorize')?.replica;
    case 'code': {
      // The code was issued by whichever hop sent the browser to the redirect URI with it.
      const arrival = before.findLastIndex((hop) => hop.kind === 'redirect-uri');
      return arrival < 0 ? undefined : before.slice(0, arrival).findLast((hop) => hop.by === 'user-agent')?.replica;
    }
    case 'token':
      return lastOk(before, (hop) => hop.kind === 'token')?.replica;
    case 'session':
      return lastOk(before, (hop) => hop.kind === 'initialize')?.replica;
    case 'other':
      return undefined;
  }
}

export function flowOutcome(hops: readonly RemoteHop[]): FlowOutcome {
  for (const [position, hop] of hops.entries()) {
    if (hop.kind === 'tool-call' && !failed(hop)) return { outcome: 'completed' };
    const before = hops.slice(0, position);
    if (!failed(hop) || expectedFailure(hop, before)) continue;
    const lost = lostAt(hop);
    // The redirect URI is the harness's own: the replica that matters is the one that sent the browser there.
    const replica = hop.kind === 'redirect-uri' ? before.findLast((earlier) => earlier.by === 'user-agent')?.replica : hop.replica;
    const origin = createdOn(lost, before);
    return {
      outcome: 'broken',
      lost,
      hop: hop.index,
      kind: hop.kind,
      ...(hop.status !== undefined ? { status: hop.status } : {}),
      ...(replica !== undefined ? { replica } : {}),
      ...(origin !== undefined ? { createdOn: origin } : {}),
      ...(hop.errorText !== undefined ? { errorText: hop.errorText } : {}),
    };
  }
  return { outcome: 'incomplete', reason: hops.length === 0 ? 'no request was made' : `no hop failed, and no tool call was answered (last hop: ${hops.at(-1)!.kind})` };
}

/**
 * Whether a request of the flow's MCP session reached a replica other than the one whose initialize made it:
 * what a balancer that routes sessions by anything but their maker (a hash of the id) does to some flows.
 */
export function sessionStrayed(hops: readonly RemoteHop[]): boolean {
  const made = hops.find((hop) => hop.kind === 'initialize' && !failed(hop) && hop.replica !== undefined);
  if (!made) return false;
  return hops.some((hop) => hop.index > made.index && hop.by === 'client' && hop.session !== undefined && hop.replica !== undefined && hop.replica !== made.replica);
}

/** How a flow ended, in words: "completed", "broke at the provider-callback hop (lost authorize-state, 400 on b)". */
export function describeFlowOutcome(outcome: FlowOutcome): string {
  if (outcome.outcome === 'completed') return 'completed';
  if (outcome.outcome === 'incomplete') return `did not complete (${outcome.reason})`;
  const detail = [`lost ${outcome.lost}`, [outcome.status, outcome.replica ? `on ${outcome.replica}` : undefined].filter((part) => part !== undefined).join(' ')].filter(Boolean).join(', ');
  return `broke at the ${outcome.kind} hop (${detail})`;
}
