/**
 * The endpoints of an OpenID provider (Google, GitLab, Microsoft, any
 * other), read from its discovery document (OpenID Connect Discovery 1.0:
 * ISSUER/.well-known/openid-configuration) once per process and kept. The
 * document must name the issuer it was asked of: a document for another
 * issuer is refused, as a client must (its tokens would be another's).
 * Microsoft's multi-tenant documents name `{tenantid}` in place of the
 * tenant: they are taken as long as the rest of the issuer matches.
 */
import { describeCause, isTimeout, OAuthError } from '../oauth-errors.ts';

export interface OpenIdEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
}

const known = new Map<string, Promise<OpenIdEndpoints>>();

export function discoverOpenId(issuer: string, timeoutMs: number): Promise<OpenIdEndpoints> {
  let found = known.get(issuer);
  if (!found) {
    found = fetchDiscovery(issuer, timeoutMs);
    // A failure is not kept: the next flow asks again.
    found.catch(() => known.delete(issuer));
    known.set(issuer, found);
  }
  return found;
}

async function fetchDiscovery(issuer: string, timeoutMs: number): Promise<OpenIdEndpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const signal = AbortSignal.timeout(timeoutMs);
  let document: unknown;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
    if (!response.ok) throw new OAuthError('discovery_failed', `OpenID discovery at ${url} answered HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    if (isTimeout(error) || signal.aborted) throw new OAuthError('discovery_failed', `OpenID discovery at ${url} did not answer within ${timeoutMs} ms`);
    throw new OAuthError('discovery_failed', `OpenID discovery at ${url} failed: ${describeCause(error)}`);
  }
  const meta = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  const field = (name: string): string => {
    const value = meta[name];
    if (typeof value !== 'string' || !/^https?:\/\//.test(value)) throw new OAuthError('discovery_failed', `OpenID discovery at ${url}: "${name}" is missing or not a URL`);
    return value;
  };
  const named = field('issuer');
  if (!sameIssuer(named, issuer)) throw new OAuthError('discovery_failed', `OpenID discovery at ${url} names the issuer ${named}, not ${issuer}`);
  return { issuer, authorizationEndpoint: field('authorization_endpoint'), tokenEndpoint: field('token_endpoint'), userinfoEndpoint: field('userinfo_endpoint') };
}

function sameIssuer(named: string, asked: string): boolean {
  const strip = (url: string) => url.replace(/\/+$/, '');
  if (strip(named) === strip(asked)) return true;
  if (!named.includes('{tenantid}')) return false;
  const [before, after] = strip(named).split('{tenantid}') as [string, string];
  const rest = strip(asked);
  return rest.startsWith(before) && rest.endsWith(after) && rest.length > before.length + after.length;
}
