/**
 * The providers src/ can sign in with (OAUTH_PROVIDER), and the hosts each
 * defaults to. Atlassian is the default and the only one with Jira: with
 * another provider, jira_whoami answers the provider's user instead.
 */
export const OAUTH_PROVIDERS = ['atlassian', 'github'] as const;

export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export const DEFAULT_OAUTH_PROVIDER: OAuthProvider = 'atlassian';

/** Where each provider lives when OAUTH_AUTH_URL / OAUTH_API_URL (or Atlassian's own variables) are not set. */
export const PROVIDER_DEFAULT_URLS: Readonly<Record<OAuthProvider, { authUrl: string; apiUrl: string }>> = Object.freeze({
  atlassian: { authUrl: 'https://auth.atlassian.com', apiUrl: 'https://api.atlassian.com' },
  github: { authUrl: 'https://github.com', apiUrl: 'https://api.github.com' },
});
