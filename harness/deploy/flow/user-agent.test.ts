import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createAtlassianMock } from '../../../fixtures/atlassian-mock/create-atlassian-mock.ts';
import { startLoopbackServer, type LoopbackServer } from '../../../fixtures/atlassian-mock/loopback-server.ts';
import { authorizeUrl, codeExchange, postToken, TEST_CLIENT, TEST_REDIRECT_URI, type MockUrls } from '../../../fixtures/atlassian-mock/oauth-test-client.ts';
import { readCallbackPage } from './callback-outcome.ts';
import { parseConsentForm, refreshUrlOf, UserAgent } from './user-agent.ts';
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
    } else if (url.pathname === '/refreshing-page') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<meta http-equiv="refresh" content="0;url=/oauth/callback?code=c&amp;state=s">');
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

test("sends a navigation's every request through the fetch it is given (the remote flow's recorder), and only that navigation's", async () => {
  const agent = new UserAgent();
  const seen: string[] = [];
  const recording = (input: string, init: RequestInit) => {
    seen.push(`${init.method} ${new URL(input).pathname}`);
    return fetch(input, init);
  };
  const result = await agent.follow(`${base}/authorize`, { stopBefore: (url) => url.pathname === '/oauth/callback', fetch: recording });
  expect(seen).toEqual(['GET /authorize', 'GET /consent']);
  expect(result.hops).toHaveLength(seen.length);
  await agent.follow(result.next!);
  expect(seen).toHaveLength(2);
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

test('refreshUrlOf: a zero-second refresh\'s URL, as browsers read the content; none for a delay, a comment or a script', () => {
  expect(refreshUrlOf('<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/cb?code=a&#38;state=b">')).toBe('http://127.0.0.1:1/cb?code=a&state=b');
  expect(refreshUrlOf("<META HTTP-EQUIV=Refresh CONTENT=\"0; URL='/cb?x=1'\">")).toBe('/cb?x=1');
  expect(refreshUrlOf('<meta http-equiv="refresh" content="5;url=/later">')).toBeUndefined();
  expect(refreshUrlOf('<!-- <meta http-equiv="refresh" content="0;url=/c"> -->')).toBeUndefined();
  expect(refreshUrlOf('<script>"<meta http-equiv=\'refresh\' content=\'0;url=/s\'>"</script>')).toBeUndefined();
  expect(refreshUrlOf('<meta name="viewport" content="0;url=/v">')).toBeUndefined();
});

test('follows a refresh only on the page that answers the consent post: a page reached by GET is the answer, refresh or not', async () => {
  const result = await new UserAgent().follow(`${base}/refreshing-page`);
  expect(result.page?.url).toBe(`${base}/refreshing-page`);
  expect(result.hops).toHaveLength(1);
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

  test('clicks Accept: GET page, POST form, the answer\'s refresh to the callback with a code that redeems and the state unchanged', async () => {
    const result = await new UserAgent().follow(authorizeUrl(urls, { state: 'ua-accept' }), toCallback);
    expect(result.hops.map((hop) => [hop.method, new URL(hop.url).pathname, hop.status])).toEqual([
      ['GET', '/authorize', 200],
      ['POST', '/authorize/consent', 200],
    ]);
    expect(result.consent).toBe('accept');
    expect(result.hops.at(-1)?.location).toBe(result.next);
    const next = new URL(result.next!);
    expect(next.searchParams.get('state')).toBe('ua-accept');
    expect((await postToken(urls, codeExchange(next.searchParams.get('code') ?? ''))).status).toBe(200);
    const posted = mockServer.mock.state.log.list().find((entry) => entry.method === 'POST' && entry.path === '/authorize/consent');
    expect(posted).toMatchObject({ sentCookie: true, status: 200, body: { decision: 'accept' } });
    expect(mockServer.mock.state.stats).toMatchObject({ consentPagesShown: 1, consentAccepted: 1 });
  });

  test('clicks Deny when told (follow option or constructor option): access_denied and no code', async () => {
    const issued = mockServer.mock.state.stats.codesIssued;
    for (const [agent, options] of [
      [new UserAgent(), { ...toCallback, consent: 'deny' as const }],
      [new UserAgent(15_000, { consent: 'deny' }), toCallback],
    ] as const) {
      const result = await agent.follow(authorizeUrl(urls, { state: 'ua-deny' }), options);
      expect(result.hops.at(-1)).toMatchObject({ method: 'POST', status: 200 });
      expect(result.consent).toBe('deny');
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

describe('cookies as a browser keeps them', () => {
  // One server reached under two sites: 127.0.0.1 (the provider, say) and localhost (the target's callback).
  // Ports do not make a site, so a second server on localhost is the same site on another port.
  let cookieServer: http.Server;
  let otherPort: http.Server;
  let provider: string;
  let target: string;
  let targetOtherPort: string;

  /**
   * GET or POST /…/set?c=SET-COOKIE&c=…[&next=URL]: those Set-Cookie headers, then a redirect to next or a
   * plain page. /form?action=URL: a consent form posting there. Any other path: a plain page whose body is
   * the Cookie header the request carried.
   */
  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://any');
    if (url.pathname.endsWith('/set')) {
      const next = url.searchParams.get('next');
      const headers = { 'set-cookie': url.searchParams.getAll('c'), 'content-type': 'text/plain' };
      response.writeHead(next ? 302 : 200, next ? { ...headers, location: next } : headers).end('set');
    } else if (url.pathname === '/form') {
      const action = url.searchParams.get('action') ?? '';
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<form id="consent" method="post" action="${action}"><button name="decision" value="accept">Accept</button></form>`);
    } else {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'text/plain' }).end(request.headers.cookie ?? ''));
    }
  };

  const listen = async (server: http.Server) => {
    // '::' takes IPv4 too: 127.0.0.1 and localhost (whichever address it resolves to) reach the same server.
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    return (server.address() as AddressInfo).port;
  };

  beforeAll(async () => {
    cookieServer = http.createServer(handler);
    otherPort = http.createServer(handler);
    const port = await listen(cookieServer);
    provider = `http://127.0.0.1:${port}`;
    target = `http://localhost:${port}`;
    targetOtherPort = `http://localhost:${await listen(otherPort)}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => cookieServer.close(() => resolve()));
    await new Promise<void>((resolve) => otherPort.close(() => resolve()));
  });

  afterEach(() => vi.useRealTimers());

  const setUrl = (at: string, cookies: string[], next?: string) => {
    const query = new URLSearchParams(cookies.map((cookie) => ['c', cookie]));
    if (next) query.set('next', next);
    return `${at}/set?${query.toString()}`;
  };

  /** The names of the cookies the final page of a navigation from url saw, sorted. */
  const sent = async (agent: UserAgent, url: string) => {
    const { page } = await agent.follow(url);
    return names(page!.body);
  };
  const names = (cookieHeader: string) => (cookieHeader ? cookieHeader.split('; ').map((pair) => pair.split('=')[0]!).sort() : []);

  const EVERY_SAMESITE = ['strict=1; SameSite=Strict', 'lax=1; SameSite=Lax', 'none=1; SameSite=None; Secure', 'unset=1'];

  async function agentWithTargetCookies(): Promise<UserAgent> {
    const agent = new UserAgent();
    await agent.follow(setUrl(target, EVERY_SAMESITE));
    return agent;
  }

  test('a navigation the user opens (no initiating page) is same-site: every SameSite cookie goes', async () => {
    const agent = await agentWithTargetCookies();
    expect(await sent(agent, `${target}/callback`)).toEqual(['lax', 'none', 'strict', 'unset']);
  });

  test('a redirect from another site (provider to callback) is a cross-site top-level GET: Lax, None and unset go, Strict does not', async () => {
    const agent = await agentWithTargetCookies();
    expect(await sent(agent, setUrl(provider, [], `${target}/callback`))).toEqual(['lax', 'none', 'unset']);
  });

  test('stopped before the callback, then followed there: still the cross-site navigation it was, so no Strict cookie', async () => {
    const agent = await agentWithTargetCookies();
    const { next } = await agent.follow(setUrl(provider, [], `${target}/callback`), { stopBefore: (url) => url.pathname === '/callback' });
    expect(await sent(agent, next!)).toEqual(['lax', 'none', 'unset']);
    // Opened afresh, the same URL is a new navigation of the user's: same-site.
    expect(await sent(agent, next!)).toEqual(['lax', 'none', 'strict', 'unset']);
  });

  test('a redirect chain through another site and back (app, provider, app, callback) is cross-site to its end: no Strict cookie', async () => {
    const agent = await agentWithTargetCookies();
    const chain = setUrl(target, [], setUrl(provider, [], setUrl(target, [], `${target}/callback`)));
    expect(await sent(agent, chain)).toEqual(['lax', 'none', 'unset']);
  });

  test('a consent form post: same-site carries every cookie; posted from another site, only None and unset ones', async () => {
    const agent = await agentWithTargetCookies();
    const sameSite = await agent.follow(`${target}/form?action=${encodeURIComponent(`${target}/answer`)}`);
    expect(sameSite.hops.map((hop) => hop.method)).toEqual(['GET', 'POST']);
    expect(names(sameSite.page!.body)).toEqual(['lax', 'none', 'strict', 'unset']);
    const crossSite = await agent.follow(`${provider}/form?action=${encodeURIComponent(`${target}/answer`)}`);
    expect(crossSite.hops.map((hop) => hop.method)).toEqual(['GET', 'POST']);
    expect(names(crossSite.page!.body)).toEqual(['none', 'unset']);
  });

  test('SameSite=None without Secure is refused, as browsers refuse it', async () => {
    const agent = new UserAgent();
    await agent.follow(setUrl(target, ['insecure=1; SameSite=None', 'kept=1']));
    expect(await sent(agent, `${target}/page`)).toEqual(['kept']);
    expect(agent.cookieCount()).toBe(1);
  });

  test('Secure cookies are kept and sent over plain http on loopback (a secure context), 127.0.0.1 and localhost alike', async () => {
    const agent = new UserAgent();
    await agent.follow(setUrl(provider, ['secure=1; Secure']));
    await agent.follow(setUrl(target, ['secure=2; Secure']));
    const { page: atProvider } = await agent.follow(`${provider}/page`);
    const { page: atTarget } = await agent.follow(`${target}/page`);
    expect([atProvider!.body, atTarget!.body]).toEqual(['secure=1', 'secure=2']);
  });

  test('Domain: a host-only cookie goes to its host on any port and no other host; a Domain that is not the host is refused', async () => {
    const agent = new UserAgent();
    await agent.follow(setUrl(target, ['hostonly=1', 'domain=1; Domain=localhost', 'foreign=1; Domain=127.0.0.1']));
    expect(await sent(agent, `${target}/page`)).toEqual(['domain', 'hostonly']);
    expect(await sent(agent, `${targetOtherPort}/page`)).toEqual(['domain', 'hostonly']);
    expect(await sent(agent, `${provider}/page`)).toEqual([]);
  });

  test('Path: a cookie goes to its path and below it, not to a sibling that merely starts alike; no Path means the directory it was set from', async () => {
    const agent = new UserAgent();
    await agent.follow(setUrl(`${target}/app`, ['scoped=1; Path=/app', 'defaulted=1', 'root=1; Path=/']));
    expect(await sent(agent, `${target}/app`)).toEqual(['defaulted', 'root', 'scoped']);
    expect(await sent(agent, `${target}/app/deeper`)).toEqual(['defaulted', 'root', 'scoped']);
    expect(await sent(agent, `${target}/application`)).toEqual(['root']);
    expect(await sent(agent, `${target}/`)).toEqual(['root']);
  });

  test('expiry: Max-Age (from when it was set) and Expires end a cookie, a past date or Max-Age=0 deletes it, and cookieCount counts only the living', async () => {
    const agent = new UserAgent();
    await agent.follow(setUrl(target, ['minute=1; Max-Age=60', 'dated=1; Expires=Wed, 01 Jan 2200 00:00:00 GMT', 'deleted=1', 'zeroed=1']));
    await agent.follow(setUrl(target, ['deleted=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'zeroed=; Max-Age=0']));
    expect(await sent(agent, `${target}/page`)).toEqual(['dated', 'minute']);
    expect(agent.cookieCount()).toBe(2);
    // Only Date is faked: the sockets' timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const setAt = Date.now();
    // Sent 40 s on: Max-Age counts from when the cookie was set, not from its last use.
    vi.setSystemTime(setAt + 40_000);
    expect(await sent(agent, `${target}/page`)).toEqual(['dated', 'minute']);
    vi.setSystemTime(setAt + 61_000);
    expect(agent.cookieCount()).toBe(1);
    expect(await sent(agent, `${target}/page`)).toEqual(['dated']);
  });
});
