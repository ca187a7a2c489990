/**
 * Signing in with a GitHub OAuth app instead of Atlassian, as "Authorizing
 * OAuth apps" documents it
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
 * the authorize URL on github.com (no audience, S256 PKCE, space-separated
 * scopes), and the token request form-encoded with `Accept: application/json`
 * (without it GitHub answers form-encoded). GitHub refuses with HTTP 200 and
 * an `error` field; the manager's token parsing already reads an `error`
 * before trusting a 200.
 */
export const GITHUB_SCOPES = ['read:user', 'user:email'] as const;

/** An OAuth app's token does not expire; this stands for "until revoked" where a stored token needs an expiry. */
export const GITHUB_TOKEN_LIFETIME_S = 100 * 365 * 24 * 3600;

export function githubAuthorizeUrl(authUrl: string, clientId: string, flow: { state: string; codeChallenge: string; redirectUri: string }): string {
  const url = new URL(`${authUrl}/login/oauth/authorize`);
  const params: Record<string, string> = {
    client_id: clientId,
    redirect_uri: flow.redirectUri,
    scope: GITHUB_SCOPES.join(' '),
    state: flow.state,
    code_challenge: flow.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function githubTokenRequest(authUrl: string, body: Record<string, string>): { url: string; headers: Record<string, string>; body: string } {
  return {
    url: `${authUrl}/login/oauth/access_token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(body).toString(),
  };
}
