/**
 * What a request of a remote flow is for, read from the request alone (its
 * URL, method and body) and the few URLs the flow knows: the MCP endpoint,
 * its own redirect URI, the authorization endpoint it sent the browser to.
 * Bodies rather than learnt endpoints name the client's OAuth requests, so a
 * registration or token request is recognised whatever path a server gives
 * it, on whichever host.
 */
import type { HopKind, RemoteHop } from './hop.ts';

export interface HopRequest {
  by: RemoteHop['by'];
  method: string;
  url: URL;
  /** The request body when it is text (the SDK sends JSON and form bodies as strings). */
  body?: string;
}

export interface KnownUrls {
  mcpUrl: URL;
  redirectUri?: URL;
  authorizationEndpoint?: URL;
}

export interface HopClassification {
  kind: HopKind;
  rpc?: string;
}

const sameEndpoint = (a: URL, b: URL | undefined) => b !== undefined && a.origin === b.origin && a.pathname === b.pathname;

export function hopKind(request: HopRequest, known: KnownUrls): HopClassification {
  const { url } = request;
  if (url.pathname.startsWith('/.well-known/oauth-protected-resource')) return { kind: 'resource-metadata' };
  if (url.pathname.startsWith('/.well-known/oauth-authorization-server') || url.pathname.includes('/.well-known/openid-configuration')) return { kind: 'as-metadata' };
  if (request.by === 'user-agent') return { kind: userAgentKind(url, known) };
  if (sameEndpoint(url, known.mcpUrl)) {
    const rpc = rpcMethods(request.body);
    if (rpc.includes('initialize')) return { kind: 'initialize', rpc: rpc.join(',') };
    if (rpc.includes('tools/call')) return { kind: 'tool-call', rpc: rpc.join(',') };
    return rpc.length > 0 ? { kind: 'other', rpc: rpc.join(',') } : { kind: 'other' };
  }
  if (request.method === 'POST' && request.body !== undefined) {
    if (/(?:^|&)grant_type=/.test(request.body)) return { kind: 'token' };
    if (isRegistration(request.body)) return { kind: 'registration' };
  }
  return { kind: 'other' };
}

function userAgentKind(url: URL, known: KnownUrls): HopKind {
  if (sameEndpoint(url, known.redirectUri)) return 'redirect-uri';
  if (sameEndpoint(url, known.authorizationEndpoint)) return 'authorize';
  // A provider sending the browser back to the server that asked it: the answer to an authorization, keyed by its state.
  if (url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'))) return 'provider-callback';
  return 'other';
}

/** The JSON-RPC methods of a message or a batch; none for anything else. */
function rpcMethods(body: string | undefined): string[] {
  if (body === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  return messages.flatMap((message) => (typeof message === 'object' && message !== null && typeof (message as { method?: unknown }).method === 'string' ? [(message as { method: string }).method] : []));
}

/** Dynamic client registration (RFC 7591): a JSON document with the client's redirect URIs. */
function isRegistration(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { redirect_uris?: unknown };
    return typeof parsed === 'object' && parsed !== null && Array.isArray(parsed.redirect_uris);
  } catch {
    return false;
  }
}
