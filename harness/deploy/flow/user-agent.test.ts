import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAtlassianMock } from '../../../fixtures/atlassian-mock/create-atlassian-mock.ts';
import { startLoopbackServer, type LoopbackServer } from '../../../fixtures/atlassian-mock/loopback-server.ts';
import { authorizeUrl, codeExchange, postToken, TEST_CLIENT, TEST_REDIRECT_URI, type MockUrls } from '../../../fixtures/atlassian-mock/oauth-test-client.ts';
import { readCallbackPage } from './callback-outcome.ts';
import { parseConsentForm, UserAgent } from './user-agent.ts';
import { defaultTarget } from '../target/default-target.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    if (url.pathname === '/authorize') {
      response.writeHead(302, { location: '/consent', 'set-cookie': 'atl_session=abc; Path=/; HttpOnly' }).end();
    } else if (url.pathname === '/odd-form') {
      // The same form as the mock's, written differently: attribute order, quoting, case, entities, a decoy in a comment.
      response.writeHead(200, { 'content-type': 'Text/HTML; charset=utf-8', 'set-cookie': 'atl_session=odd; Path=/' }).end(
        [
          '<!-- <form id="consent" method="post" action="/decoy"><input type="hidden" name="ticket" value="decoy"></form> -->',
          "<FORM ACTION='/odd-answer?x=1&amp;y=2' Method=POST id = \"consent\" class=a>",
          '<INPUT value="t&#x2F;k&quot;&#60;&amp;" NAME=ticket type=\'HIDDEN\'/>',
          '<input type="hidden" name="disabled-one" value="no" disabled>',
          '<input type="text" name="note" value="not sent">',
          '<button value=deny name=decision id=deny>Deny</button>',
          "<button id='accept' value='accept' type='submit' name='decision'>Accept</button>",
          '</form>',
        ].join('\n'),
      );
    } else if (url.pathname === '/odd-answer') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const echo = new URLSearchParams({ method: request.method ?? '', query: url.search, body, cookie: request.headers.cookie ?? '', type: request.headers['content-type'] ?? '' });
        response.writeHead(302, { location: `/oauth/callback?${echo.toString()}` }).end();
      });
    } else if (url.pathname === '/offsite-form') {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<form id="consent" method="post" action="https://auth.atlassian.com/authorize/consent"><button type="submit" name="decision" value="accept">Accept</button></form>');
    } else if (url.pathname === '/consent') {
      const sawCookie = request.headers.cookie === 'atl_session=abc';
      response.writeHead(302, { location: `/oauth/callback?code=c&state=s&cookie=${sawCookie}` }).end();
    } else {
      response.writeHead(400, { 'content-type': 'text/html' }).end('<p>Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.</p>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('follows hop by hop, keeps cookies, and stops before the callback when asked', async () => {
  const agent = new UserAgent();
  const result = await agent.follow(`${base}/authorize`, { stopBefore: (url) => url.pathname === '/oauth/callback' });
  expect(result.hops.map((hop) => [new URL(hop.url).pathname, hop.status])).toEqual([
    ['/authorize', 302],
    ['/consent', 302],
  ]);
  expect(new URL(result.next!).searchParams.get('cookie')).toBe('true');
  const { page } = await agent.follow(result.next!);
  expect(readCallbackPage(page!, defaultTarget)).toEqual({
    outcome: 'invalid-state',
    status: 400,
    message: 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.',
  });
});

test('submits a consent form written any which way: entities decoded, hidden inputs and the clicked button only, cookies sent, the POST a hop', async () => {
  const agent = new UserAgent();
  const result = await agent.follow(`${base}/odd-form`, { stopBefore: (url) => url.pathname === '/oauth/callback' });
  expect(result.hops.map((hop) => [hop.method, new URL(hop.url).pathname, hop.status])).toEqual([
    ['GET', '/odd-form', 200],
    ['POST', '/odd-answer', 302],
  ]);
  const echo = new URL(result.next!).searchParams;
  expect(echo.get('method')).toBe('POST');
  expect(echo.get('query')).toBe('?x=1&y=2');
  expect(echo.get('type')).toBe('application/x-www-form-urlencoded');
  expect(echo.get('cookie')).toBe('atl_session=odd');
  expect(echo.get('body')).toBe('ticket=t%2Fk%22%3C%26&decision=accept');
});

test('refuses a consent form that posts off loopback, as it refuses any such hop', async () => {
  await expect(new UserAgent().follow(`${base}/offsite-form`)).rejects.toThrow(/refusing to visit auth\.atlassian\.com/);
});

test('parseConsentForm: no form, another form, or a form mentioned only in a script is not the consent form', () => {
  expect(parseConsentForm('<p>hello</p>')).toBeUndefined();
  expect(parseConsentForm('<form id="login" method="post"><input type="hidden" name="x" value="1"></form>')).toBeUndefined();
  expect(parseConsentForm('<script>document.write(\'<form id="consent" method="post">\')</script>')).toBeUndefined();
  expect(() => parseConsentForm('<form id="consent" action="/c"></form>')).toThrow(/method is "get"/);
});

describe('against the real mock with consent: form', () => {
  let mockServer: LoopbackServer;
  let urls: MockUrls;
  const toCallback = { stopBefore: (url: URL) => url.toString().startsWith(TEST_REDIRECT_URI) };

  beforeAll(async () => {
    mockServer = await startLoopbackServer({
      maxBodyBytes: 1024 * 1024,
      createMock: (baseUrl) => createAtlassianMock({ authBaseUrl: baseUrl, apiBaseUrl: baseUrl, clients: [TEST_CLIENT], knobs: { consent: 'form' } }),
    });
    urls = { authBaseUrl: mockServer.url, apiBaseUrl: mockServer.url };
  });

  afterAll(() => mockServer.close());

  test('clicks Accept: GET page, POST form, redirect to the callback with a code that redeems and the state unchanged', async () => {
    const result = await new UserAgent().follow(authorizeUrl(urls, { state: 'ua-accept' }), toCallback);
    expect(result.hops.map((hop) => [hop.method, new URL(hop.url).pathname, hop.status])).toEqual([
      ['GET', '/authorize', 200],
      ['POST', '/authorize/consent', 302],
    ]);
    const next = new URL(result.next!);
    expect(next.searchParams.get('state')).toBe('ua-accept');
    expect((await postToken(urls, codeExchange(next.searchParams.get('code') ?? ''))).status).toBe(200);
    const posted = mockServer.mock.state.log.list().find((entry) => entry.method === 'POST' && entry.path === '/authorize/consent');
    expect(posted).toMatchObject({ sentCookie: true, status: 302, body: { decision: 'accept' } });
    expect(mockServer.mock.state.stats).toMatchObject({ consentPagesShown: 1, consentAccepted: 1 });
  });

  test('clicks Deny when told (follow option or constructor option): access_denied and no code', async () => {
    const issued = mockServer.mock.state.stats.codesIssued;
    for (const [agent, options] of [
      [new UserAgent(), { ...toCallback, consent: 'deny' as const }],
      [new UserAgent(15_000, { consent: 'deny' }), toCallback],
    ] as const) {
      const result = await agent.follow(authorizeUrl(urls, { state: 'ua-deny' }), options);
      expect(result.hops.at(-1)).toMatchObject({ method: 'POST', status: 302 });
      const next = new URL(result.next!);
      expect(next.searchParams.get('error')).toBe('access_denied');
      expect(next.searchParams.get('state')).toBe('ua-deny');
    }
    expect(mockServer.mock.state.stats.codesIssued).toBe(issued);
  });

  test('a page that is not the consent form is returned as the page (the 400 error page of the mock)', async () => {
    const result = await new UserAgent().follow(authorizeUrl(urls, { client_id: 'nobody' }), toCallback);
    expect(result.page?.status).toBe(400);
    expect(result.hops).toHaveLength(1);
  });
});
