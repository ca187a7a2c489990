/**
 * The providers src/ can sign in with (OAUTH_PROVIDER), and the hosts each
 * defaults to. Atlassian is the default and the only one with Jira: with
 * another provider, jira_whoami answers the provider's user instead. The
 * OpenID ones are found by discovery at their issuer (OAUTH_AUTH_URL).
 */
export const OAUTH_PROVIDERS = ['atlassian', 'github', 'google', 'gitlab', 'microsoft', 'oidc'] as const;

export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export const DEFAULT_OAUTH_PROVIDER: OAuthProvider = 'atlassian';

/** Where each provider lives when OAUTH_AUTH_URL / OAUTH_API_URL (or Atlassian's own variables) are not set. */
export type OpenIdProvider = Exclude<OAuthProvider, 'atlassian' | 'github'>;

export function isOpenIdProvider(provider: OAuthProvider | undefined): provider is OpenIdProvider {
  return provider !== undefined && provider !== 'atlassian' && provider !== 'github';
}

/**
 * Defaults of OAUTH_AUTH_URL / OAUTH_API_URL (an OpenID provider's issuer, and
 * no API URL: its userinfo endpoint comes from discovery). The generic
 * provider has none: its issuer must be given.
 */
export const PROVIDER_DEFAULT_URLS: Readonly<Record<OAuthProvider, { authUrl: string; apiUrl: string } | undefined>> = Object.freeze({
  atlassian: { authUrl: 'https://auth.atlassian.com', apiUrl: 'https://api.atlassian.com' },
  github: { authUrl: 'https://github.com', apiUrl: 'https://api.github.com' },
  google: { authUrl: 'https://accounts.google.com', apiUrl: 'https://accounts.google.com' },
  gitlab: { authUrl: 'https://gitlab.com', apiUrl: 'https://gitlab.com' },
  microsoft: { authUrl: 'https://login.microsoftonline.com/organizations/v2.0', apiUrl: 'https://graph.microsoft.com' },
  oidc: undefined,
});
