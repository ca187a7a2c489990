/**
 * src/ signing in with the OpenID providers, in-process against the mock's
 * profiles: discovery, the flow, jira_whoami's user from userinfo (the
 * subject as accountId), the refresh token each provider gives, and a
 * discovery document for another issuer refused.
 */
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAtlassianMock } from '../../fixtures/atlassian-mock/create-atlassian-mock.ts';
import { MICROSOFT_TENANT_ID } from '../../fixtures/atlassian-mock/providers/microsoft/microsoft-profile.ts';
import { JiraClient } from '../jira-client.ts';
import { silentLogger } from '../log.ts';
import { OAuthManager } from '../oauth-manager.ts';
import { MemorySessionStore } from '../stores/memory-store.ts';
import type { OpenIdProvider } from './provider-name.ts';

const REDIRECT_URI = 'http://127.0.0.1:4567/oauth/callback';
const client = { clientId: 'app', clientSecret: 'app-secret', redirectUris: [REDIRECT_URI] };
const cases: { provider: OpenIdProvider; issuer: string; urls?: { authBaseUrl: string; apiBaseUrl: string }; refresh: boolean }[] = [
  { provider: 'google', issuer: 'https://accounts.google.com', refresh: true },
  { provider: 'gitlab', issuer: 'https://git.acme.example', urls: { authBaseUrl: 'https://git.acme.example', apiBaseUrl: 'https://git.acme.example' }, refresh: true },
  { provider: 'microsoft', issuer: `https://login.microsoftonline.com/${MICROSOFT_TENANT_ID}/v2.0`, refresh: true },
  { provider: 'oidc', issuer: 'https://idp.example.com', refresh: true },
];
const mocks = cases.map((c) => createAtlassianMock({ provider: c.provider, ...c.urls, clients: [client] }));
const server = setupServer(
  ...mocks.flatMap((mock) => mock.handlers),
  http.get('https://impostor.example/.well-known/openid-configuration', () => HttpResponse.json({ issuer: 'https://accounts.google.com', authorization_endpoint: 'https://a.example/', token_endpoint: 'https://a.example/', userinfo_endpoint: 'https://a.example/' })),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => MemorySessionStore.clearAllForTesting());
afterAll(() => {
  server.close();
  for (const mock of mocks) mock.close();
});

function manager(provider: OpenIdProvider, issuer: string) {
  const config = { provider, clientId: 'app', clientSecret: 'app-secret', redirectUri: REDIRECT_URI, authUrl: issuer, apiUrl: issuer, jiraCompanyUrl: '', userEmail: 'dev@acme.test', httpTimeoutMs: 2000 };
  const oauth = new OAuthManager({ config, store: new MemorySessionStore({ logger: silentLogger }), logger: silentLogger });
  return { oauth, jira: new JiraClient({ config, oauth, logger: silentLogger }) };
}

describe.each(cases.map((c, i) => ({ ...c, mock: mocks[i]! })))('src/ with OAUTH_PROVIDER=$provider', ({ provider, issuer, refresh, mock }) => {
  it('signs in through discovery, and jira_whoami answers the subject the flow signed in as', async () => {
    const { oauth, jira } = manager(provider, issuer);
    const { authUrl, state } = await oauth.startAuthorization();
    expect(new URL(authUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const location = new URL((await fetch(authUrl, { redirect: 'manual' })).headers.get('location')!);
    await oauth.handleCallback({ code: location.searchParams.get('code')!, state: location.searchParams.get('state')! });
    expect((await oauth.getTokens())?.refreshToken !== undefined).toBe(refresh);
    const me = await jira.whoami();
    expect(me.accountId).toBe(mock.flows({ state }).flows[0]?.identity.accountId);
    expect(me.emailAddress).toMatch(/@/);
  });
});

it('refuses a discovery document that names another issuer', async () => {
  const { oauth } = manager('google', 'https://impostor.example');
  await expect(oauth.startAuthorization()).rejects.toMatchObject({ code: 'discovery_failed', message: expect.stringContaining('names the issuer https://accounts.google.com') });
});
