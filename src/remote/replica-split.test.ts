/**
 * Two remote processes, A and B, with one PUBLIC_URL (as replicas behind a
 * balancer): the MCP client's /authorize lands on A, the provider callback on
 * B. With `memory` (each replica its own Map) B has never heard of the
 * pending authorization and says so; with `redis` (a real redis-server) B
 * finds it, and the rest of the flow crosses replicas too: the token from B,
 * the MCP session opened on A and used on B. `sealed-state` passes the same
 * way with no store at all (every record travels sealed in its own key).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { freePort } from '../../harness/deploy/process/free-port.ts';
import { RedisServer, REDIS_INSTALL_HINT, redisServerAvailable } from '../../harness/deploy/services/redis-server.ts';
import { UserAgent } from '../../harness/deploy/flow/user-agent.ts';
import { INVALID_STATE_MESSAGE, TOKEN_EXCHANGE_FAILED_PREFIX } from '../session-store.ts';
import { InMemoryOAuthClient } from './test-fixtures/in-memory-oauth-client.ts';
import { onReplica, routedFetch } from './test-fixtures/replica-router.ts';
import { REMOTE_CLIENT_ID, startRemoteReplica, type RemoteReplica } from './test-fixtures/remote-processes.ts';

/** The MCP client's redirect URI: the user agent stops before it, so nothing needs to listen there. */
const CLIENT_REDIRECT = 'http://127.0.0.1:9/callback';

let dir: string;
let mock: MockAtlassian;
let redis: RedisServer;
let publicUrl: string;
let clientSecret: string;
const replicas: RemoteReplica[] = [];

beforeAll(async () => {
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
  dir = mkdtempSync(path.join(os.tmpdir(), 'replica-split-'));
  [mock, redis] = await Promise.all([MockAtlassian.start(dir), RedisServer.start({ logDir: dir, name: 'redis' })]);
  await mock.setKnobs({ consent: 'form' });
  publicUrl = `http://127.0.0.1:${await freePort()}`;
  ({ clientSecret } = await mock.registerClient(REMOTE_CLIENT_ID, [`${publicUrl}/oauth/callback`]));
});

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.child.stop({ graceMs: 1000 })));
  await Promise.all([mock?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function startPair(store: 'memory' | 'redis' | 'sealed-state'): Promise<[RemoteReplica, RemoteReplica]> {
  const sealKey = randomBytes(32).toString('base64url');
  const start = (name: string) =>
    startRemoteReplica({
      name: `${store}-${name}`,
      logDir: dir,
      homeDir: dir,
      mockUrl: mock.url,
      clientSecret,
      publicUrl,
      store,
      env: store === 'redis' ? { REDIS_URL: redis.url } : store === 'sealed-state' ? { SESSION_SEAL_KEY: sealKey } : {},
    });
  const pair = await Promise.all([start('a'), start('b')]);
  replicas.push(...pair);
  return pair;
}

/** Registration and /authorize on A, the user through the mock's consent; returns the provider's redirect back to PUBLIC_URL. */
async function authorizeOnA(a: RemoteReplica, client: InMemoryOAuthClient, agent: UserAgent): Promise<string> {
  expect(await auth(client, { serverUrl: `${publicUrl}/mcp`, fetchFn: routedFetch(publicUrl, () => a.url) })).toBe('REDIRECT');
  const toProvider = await agent.follow(onReplica(client.authorizationUrl!, publicUrl, a.url), { stopBefore: (url) => url.origin === publicUrl });
  expect(toProvider.next).toMatch(new RegExp(`^${publicUrl}/oauth/callback\\?`));
  return toProvider.next!;
}

const stopAtClient = (url: URL) => url.origin === new URL(CLIENT_REDIRECT).origin;

describe('two replicas behind one PUBLIC_URL: /authorize on A, the provider callback on B', () => {
  it('memory: B has no pending authorization and shows the error page; A, which made it, would have passed', async () => {
    const [a, b] = await startPair('memory');
    const client = new InMemoryOAuthClient(CLIENT_REDIRECT);
    const agent = new UserAgent();
    const callback = await authorizeOnA(a, client, agent);

    const onB = await agent.follow(onReplica(callback, publicUrl, b.url), { stopBefore: stopAtClient });
    expect(onB.page?.status).toBe(400);
    expect(onB.page?.body).toContain('data-outcome="invalid-state"');
    expect(onB.page?.body).toContain(TOKEN_EXCHANGE_FAILED_PREFIX + INVALID_STATE_MESSAGE);
    expect(onB.page?.body).toContain(`No pending authorization for this state on this server (store memory, pid ${b.child.pid})`);

    // The control: the same redirect on A finds its pending authorization, so the split alone lost it.
    const onA = await agent.follow(onReplica(callback, publicUrl, a.url), { stopBefore: stopAtClient });
    expect(new URL(onA.next!).searchParams.get('code')).toBeTruthy();
    expect(new URL(onA.next!).searchParams.get('state')).toBe(client.sentState);
  });

  it.each(['redis', 'sealed-state'] as const)('%s: B finds it, and the token, the MCP session and the tool call cross replicas too', async (store) => {
    const [a, b] = await startPair(store);
    const client = new InMemoryOAuthClient(CLIENT_REDIRECT);
    const agent = new UserAgent();
    const callback = await authorizeOnA(a, client, agent);

    const onB = await agent.follow(onReplica(callback, publicUrl, b.url), { stopBefore: stopAtClient });
    expect(onB.page?.body, 'B answered with a page instead of sending the browser on to the client').toBeUndefined();
    const redirect = new URL(onB.next!);
    expect(redirect.searchParams.get('state')).toBe(client.sentState);
    const code = redirect.searchParams.get('code')!;

    // The code redeemed on B (issued by B), the session opened on A, the tools called on B.
    expect(await auth(client, { serverUrl: `${publicUrl}/mcp`, authorizationCode: code, fetchFn: routedFetch(publicUrl, () => b.url) })).toBe('AUTHORIZED');
    let target = a.url;
    const transport = new StreamableHTTPClientTransport(new URL(`${publicUrl}/mcp`), { authProvider: client, fetch: routedFetch(publicUrl, () => target) });
    const mcp = new Client({ name: 'replica-split-test', version: '0.0.0' });
    await mcp.connect(transport);
    try {
      target = b.url;
      const info = await mcp.callTool({ name: 'replica_info', arguments: {} });
      expect(info.structuredContent).toEqual({ pid: b.child.pid, store });
      const whoami = await mcp.callTool({ name: 'jira_whoami', arguments: {} });
      expect(whoami.isError).toBeFalsy();
      expect(whoami.structuredContent).toMatchObject({ accountId: expect.any(String) });
    } finally {
      await transport.terminateSession();
      await mcp.close();
    }
  });
});
