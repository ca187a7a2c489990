import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unobservedFetch, withUserAgentFetch } from './user-agent-fetch-observer.ts';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((request, response) => response.end(request.url));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('observing the global fetch of the user agent', () => {
  it('sends requests made inside a flow through its observer, and only that flow’s', async () => {
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    const observer = (seen: string[]) => (input: string | URL, init?: RequestInit) => {
      seen.push(String(input));
      return unobservedFetch()(input, init);
    };
    await Promise.all([
      withUserAgentFetch(observer(seenByA), async () => {
        await fetch(`${base}/a1`);
        await fetch(`${base}/a2`);
      }),
      withUserAgentFetch(observer(seenByB), async () => {
        await fetch(`${base}/b1`);
      }),
    ]);
    expect(seenByA).toEqual([`${base}/a1`, `${base}/a2`]);
    expect(seenByB).toEqual([`${base}/b1`]);
  });

  it('outside a flow the global fetch is left alone', async () => {
    const seen: string[] = [];
    await withUserAgentFetch(async (input, init) => {
      seen.push(String(input));
      return unobservedFetch()(input, init);
    }, async () => undefined);
    expect(await (await fetch(`${base}/outside`)).text()).toBe('/outside');
    expect(seen).toEqual([]);
  });
});
