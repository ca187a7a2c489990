/**
 * src/ signing in with GitHub (OAUTH_PROVIDER=github), in-process against
 * the mock's GitHub profile: the same manager and store, GitHub's endpoints
 * and answers, and jira_whoami's GitHub user (its numeric id as accountId).
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAtlassianMock } from '../../fixtures/atlassian-mock/create-atlassian-mock.ts';
import { JiraClient } from '../jira-client.ts';
import { silentLogger } from '../log.ts';
import { OAuthManager } from '../oauth-manager.ts';
import { OAuthProviderError } from '../oauth-errors.ts';
import { MemorySessionStore } from '../stores/memory-store.ts';

const REDIRECT_URI = 'http://127.0.0.1:4567/oauth/callback';
const mock = createAtlassianMock({ provider: 'github', clients: [{ clientId: 'gh-app', clientSecret: 'gh-secret', redirectUris: [REDIRECT_URI] }] });
const server = setupServer(...mock.handlers);
const config = {
  provider: 'github' as const,
  clientId: 'gh-app',
  clientSecret: 'gh-secret',
  redirectUri: REDIRECT_URI,
  authUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  jiraCompanyUrl: '',
  userEmail: 'dev@acme.test',
  httpTimeoutMs: 2000,
};
let oauth: OAuthManager;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  MemorySessionStore.clearAllForTesting();
  mock.reset();
  oauth = new OAuthManager({ config, store: new MemorySessionStore({ logger: silentLogger }), logger: silentLogger });
});
afterAll(() => {
  server.close();
  mock.close();
});

async function callbackOf(authUrl: string): Promise<{ code: string; state: string }> {
  const location = new URL((await fetch(authUrl, { redirect: 'manual' })).headers.get('location')!);
  return { code: location.searchParams.get('code') ?? '', state: location.searchParams.get('state') ?? '' };
}

describe('src/ with OAUTH_PROVIDER=github', () => {
  it('builds a GitHub authorize URL with S256 PKCE and no Atlassian audience', async () => {
    const { authUrl } = await oauth.startAuthorization();
    const url = new URL(authUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/login/oauth/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.has('audience')).toBe(false);
  });

  it('completes the flow and jira_whoami answers the GitHub user the flow signed in as', async () => {
    const { authUrl, state } = await oauth.startAuthorization();
    const result = await oauth.handleCallback(await callbackOf(authUrl));
    expect(result.scope).toBe('read:user,user:email');
    const tokens = await oauth.getTokens();
    expect(tokens?.refreshToken).toBeUndefined();
    const me = await new JiraClient({ config, oauth, logger: silentLogger }).whoami();
    expect(me.accountId).toBe(mock.flows({ state }).flows[0]?.identity.accountId);
    expect(me.accountId).toMatch(/^\d+$/);
  });

  it("takes GitHub's HTTP 200 with an error field for the refusal it is", async () => {
    const { authUrl } = await oauth.startAuthorization();
    const callback = await callbackOf(authUrl);
    await expect(oauth.exchangeCode({ code: 'not-the-code', redirectUri: REDIRECT_URI, codeVerifier: 'v'.repeat(43) })).rejects.toBeInstanceOf(OAuthProviderError);
    await oauth.handleCallback(callback);
    await expect(oauth.exchangeCode({ code: callback.code, redirectUri: REDIRECT_URI, codeVerifier: 'v'.repeat(43) })).rejects.toMatchObject({ error: 'bad_verification_code', status: 200 });
  });
});
