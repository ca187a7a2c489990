/**
 * harness/deploy/remote/: the harness as the MCP client of a remote (Streamable HTTP) server.
 *
 * One HTTP request of a remote flow, as recorded: what it was for, where it
 * went, who answered and how. A flow's hops in order are the evidence its
 * outcome is judged from (flow-outcome.ts), so every field is something
 * seen on the wire, never inferred later. Secrets (codes, tokens, PKCE
 * verifiers, state) never appear whole here: see secret-redaction.ts.
 */

import { HOP_KINDS, type HopKind } from '../../core/remote-vocabulary.ts';

export { HOP_KINDS, type HopKind };

export interface RemoteHop {
  /** Position in the flow, from 0. */
  index: number;
  kind: HopKind;
  /** The SDK's client (discovery, registration, token, MCP) or the user agent playing the browser. */
  by: 'client' | 'user-agent';
  method: string;
  /** The URL as the client addressed it (a balancer's public URL), secrets cut. */
  url: string;
  /** The origin the request was actually sent to, when a route sent it elsewhere than `url`. */
  sentTo?: string;
  /** Undefined when no answer came (connection refused, reset, timeout: `errorText` says which) or none had come yet (`inFlight`). */
  status?: number;
  /** The request was still waiting for its answer when the flow's record was taken (a server-sent event stream opened beside the requests, say). */
  inFlight?: true;
  /** The replica that served it: the balancer's response header, or the origin's name when replicas are reached directly. */
  replica?: string;
  durationMs: number;
  /** JSON-RPC method(s) an MCP request carried, e.g. "tools/list". */
  rpc?: string;
  /** The Mcp-Session-Id the request carried, shortened. */
  session?: string;
  /** Where a redirect pointed, secrets cut. */
  location?: string;
  /** The server's own words on a failure (status ≥ 400) or the network error, secrets cut, shortened. */
  errorText?: string;
}
