/**
 * Every URL the remote server names itself by, from PUBLIC_URL alone: with
 * replicas behind a balancer they must all say the balancer's URL, so none
 * is ever taken from a request's Host header.
 */
export const MCP_PATH = '/mcp';
export const PROVIDER_CALLBACK_PATH = '/oauth/callback';

export interface RemoteUrls {
  /** PUBLIC_URL as the SDK writes an issuer (with its one slash). */
  issuer: string;
  /** The protected resource: PUBLIC_URL/mcp. */
  resource: string;
  /** This server's redirect URI at Atlassian: PUBLIC_URL/oauth/callback. */
  providerCallback: string;
}

/** publicUrl: an origin (loadRemoteConfig checks it). */
export function remoteUrls(publicUrl: string): RemoteUrls {
  const origin = new URL(publicUrl);
  return {
    issuer: origin.href,
    resource: new URL(MCP_PATH, origin).href,
    providerCallback: new URL(PROVIDER_CALLBACK_PATH, origin).href,
  };
}

/** RFC 8707 resources compare as URLs, one trailing slash and any fragment aside (as the SDK's bearer middleware does). */
export function sameResource(a: string, b: string): boolean {
  const comparable = (value: string) => value.replace(/#.*$/, '').replace(/\/$/, '');
  return comparable(a) === comparable(b);
}
