import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readCallbackPage } from './callback-outcome.ts';
import { UserAgent } from './user-agent.ts';
import { defaultTarget } from '../target/default-target.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    if (url.pathname === '/authorize') {
      response.writeHead(302, { location: '/consent', 'set-cookie': 'atl_session=abc; Path=/; HttpOnly' }).end();
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
