/**
 * Signing in with an OpenID provider (Google, GitLab, Microsoft, a generic
 * one): the endpoints from discovery (openid-discovery.ts), the scopes each
 * needs for the user's id and email and a refresh token (Google asks with
 * access_type=offline and prompt=consent, the others with offline_access;
 * GitLab always gives one), the token request form-encoded with
 * client_secret_post as RFC 6749 §4.1.3 has it, and jira_whoami's answer
 * from the userinfo endpoint (OpenID Connect Core §5.3): the subject as
 * accountId.
 */
import type { JiraUser } from '../jira-client.ts';
import type { OpenIdEndpoints } from './openid-discovery.ts';
import type { OpenIdProvider } from './provider-name.ts';

const SCOPES: Readonly<Record<OpenIdProvider, string>> = {
  google: 'openid email profile',
  gitlab: 'openid profile email',
  microsoft: 'openid profile email offline_access',
  oidc: 'openid profile email offline_access',
};

const EXTRA_PARAMS: Readonly<Partial<Record<OpenIdProvider, Record<string, string>>>> = {
  google: { access_type: 'offline', prompt: 'consent' },
};

export function openIdScopes(provider: OpenIdProvider): string {
  return SCOPES[provider];
}

export function openIdAuthorizeUrl(provider: OpenIdProvider, endpoints: OpenIdEndpoints, clientId: string, flow: { state: string; codeChallenge: string; redirectUri: string }): string {
  const url = new URL(endpoints.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: flow.redirectUri,
    scope: SCOPES[provider],
    state: flow.state,
    code_challenge: flow.codeChallenge,
    code_challenge_method: 'S256',
    ...EXTRA_PARAMS[provider],
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function openIdTokenRequest(endpoints: OpenIdEndpoints, body: Record<string, string>): { url: string; headers: Record<string, string>; body: string } {
  return {
    url: endpoints.tokenEndpoint,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(body).toString(),
  };
}

export function openIdUser(userinfo: unknown, issuer: string): JiraUser | string {
  if (typeof userinfo !== 'object' || userinfo === null) return 'userinfo did not return an object';
  const { sub, email, name, preferred_username: username } = userinfo as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return 'userinfo did not return a subject (sub)';
  return {
    accountId: sub,
    emailAddress: typeof email === 'string' ? email : null,
    displayName: typeof name === 'string' && name !== '' ? name : typeof username === 'string' ? username : sub,
    cloudId: '',
    siteUrl: issuer,
  };
}
