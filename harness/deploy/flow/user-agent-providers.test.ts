/**
 * The user agent through every provider profile's consent page over real
 * loopback HTTP, as a run drives it: GET the page, POST Accept (or Deny)
 * with the session cookie, land on the callback with a code (or
 * access_denied) and the state unchanged. The pages keep one form contract,
 * so the browser and the user agent need no per-provider code.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAtlassianMock } from '../../../fixtures/atlassian-mock/create-atlassian-mock.ts';
import { startLoopbackServer, type LoopbackServer } from '../../../fixtures/atlassian-mock/loopback-server.ts';
import { AUTHORIZE_REQUESTS, PROVIDER_NAMES, type ProviderName } from '../../../fixtures/atlassian-mock/providers/provider-hosts.ts';
import { UserAgent } from './user-agent.ts';

const CALLBACK = 'http://localhost:4567/oauth/callback';
const servers = new Map<ProviderName, LoopbackServer>();

beforeAll(async () => {
  for (const provider of PROVIDER_NAMES) {
    servers.set(
      provider,
      await startLoopbackServer({
        maxBodyBytes: 1024 * 1024,
        createMock: (baseUrl) => createAtlassianMock({ provider, authBaseUrl: baseUrl, apiBaseUrl: baseUrl, clients: [{ clientId: 'ua', clientSecret: 's', redirectUris: [CALLBACK] }], knobs: { consent: 'form' } }),
      }),
    );
  }
});

afterAll(async () => {
  for (const server of servers.values()) await server.close();
});

function authorizeUrl(provider: ProviderName, state: string): string {
  const request = AUTHORIZE_REQUESTS[provider];
  const url = new URL(request.path, servers.get(provider)!.url);
  const challenge = createHash('sha256').update('v'.repeat(43)).digest('base64url');
  const params = { ...request.extras, client_id: 'ua', scope: request.scope, redirect_uri: CALLBACK, state, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

const toCallback = { stopBefore: (url: URL) => url.toString().startsWith(CALLBACK) };

describe.each(PROVIDER_NAMES.map((provider) => ({ provider })))('the $provider consent page', ({ provider }) => {
  test('Accept: a code at the callback, the state unchanged, the session cookie sent with the form', async () => {
    const result = await new UserAgent().follow(authorizeUrl(provider, `ua-${provider}`), toCallback);
    expect(result.hops.map((hop) => [hop.method, hop.status])).toEqual([
      ['GET', 200],
      // The consent post is answered by the continue page, whose refresh the user agent follows to the callback.
      ['POST', 200],
    ]);
    const next = new URL(result.next!);
    expect(next.searchParams.get('code')).toEqual(expect.any(String));
    expect(next.searchParams.get('state')).toBe(`ua-${provider}`);
    const mock = servers.get(provider)!.mock;
    expect(mock.state.log.list().find((entry) => entry.method === 'POST')).toMatchObject({ sentCookie: true, status: 200 });
  });

  test('Deny: access_denied at the callback and no code', async () => {
    const result = await new UserAgent().follow(authorizeUrl(provider, 'deny'), { ...toCallback, consent: 'deny' });
    const next = new URL(result.next!);
    expect(next.searchParams.get('error')).toBe('access_denied');
    expect(next.searchParams.has('code')).toBe(false);
  });
});
