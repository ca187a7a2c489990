/**
 * One remote process (memory store) against the mock Atlassian, driven as an
 * MCP client drives it: the SDK's auth() (resource and AS metadata, dynamic
 * registration, PKCE) with a loopback redirect listener, the user's browser
 * through the mock's consent form, then initialize and tool calls over
 * Streamable HTTP with the token it got.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { freePort } from '../../harness/deploy/process/free-port.ts';
import { UserAgent } from '../../harness/deploy/flow/user-agent.ts';
import { InMemoryOAuthClient } from './test-fixtures/in-memory-oauth-client.ts';
import { startRedirectListener, type RedirectListener } from './test-fixtures/redirect-listener.ts';
import { REMOTE_CLIENT_ID, startRemoteReplica, type RemoteReplica } from './test-fixtures/remote-processes.ts';

let dir: string;
let mock: MockAtlassian;
let replica: RemoteReplica;
let publicUrl: string;
const listeners: RedirectListener[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'remote-process-'));
  mock = await MockAtlassian.start(dir);
  await mock.setKnobs({ consent: 'form' });
  // Its own port, named in PUBLIC_URL before it starts: one process is its own public URL.
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const { clientSecret } = await mock.registerClient(REMOTE_CLIENT_ID, [`${publicUrl}/oauth/callback`]);
  replica = await startRemoteReplica({ name: 'remote', logDir: dir, homeDir: dir, mockUrl: mock.url, clientSecret, publicUrl, store: 'memory', port });
});

afterAll(async () => {
  for (const listener of listeners) await listener.close();
  await replica?.child.stop({ graceMs: 1000 });
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('remote process (memory store, one process)', () => {
  it('announces itself and names itself by PUBLIC_URL, not by where it was reached', async () => {
    expect(replica.url).toBe(publicUrl);
    const resource = await (await fetch(`${replica.url}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(resource).toMatchObject({ resource: `${publicUrl}/mcp`, authorization_servers: [`${publicUrl}/`] });
    const metadata = await (await fetch(`${replica.url}/.well-known/oauth-authorization-server`, { headers: { host: 'evil.example' } })).json();
    expect(metadata).toMatchObject({ issuer: `${publicUrl}/`, registration_endpoint: `${publicUrl}/register`, code_challenge_methods_supported: ['S256'] });
  });

  it('refuses /mcp without a token, pointing at its resource metadata', async () => {
    const response = await fetch(`${publicUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain(`resource_metadata="${publicUrl}/.well-known/oauth-protected-resource/mcp"`);
  });

  it('completes a whole flow as an MCP client would, and serves a tool with the Atlassian token', async () => {
    const listener = await startRedirectListener();
    listeners.push(listener);
    const client = new InMemoryOAuthClient(listener.url);

    expect(await auth(client, { serverUrl: `${publicUrl}/mcp` })).toBe('REDIRECT');
    const authorizationUrl = client.authorizationUrl!;
    expect(authorizationUrl.origin).toBe(publicUrl);

    // The browser: this server's /authorize, the mock's consent form, the provider callback, the client's listener.
    const { hops, page } = await new UserAgent().follow(authorizationUrl.href);
    expect(page?.status).toBe(200);
    const where = (url: string) => ({ [publicUrl]: 'server', [mock.url]: 'mock', [new URL(listener.url).origin]: 'listener' })[new URL(url).origin];
    expect(hops.map((hop) => `${where(hop.url)} ${hop.method} ${new URL(hop.url).pathname} ${hop.status}`)).toEqual([
      'server GET /authorize 302',
      'mock GET /authorize 200',
      // The consent post is answered by a page that refreshes on: the provider's form-action then stops no redirect after it.
      'mock POST /authorize/consent 200',
      'server GET /oauth/callback 302',
      'listener GET /callback 200',
    ]);
    const redirect = await listener.received;
    expect(redirect.get('state')).toBe(client.sentState);
    const code = redirect.get('code');
    expect(code).toBeTruthy();

    expect(await auth(client, { serverUrl: `${publicUrl}/mcp`, authorizationCode: code! })).toBe('AUTHORIZED');
    expect(client.tokens()).toMatchObject({ token_type: 'Bearer' });

    const mcp = new Client({ name: 'remote-mode-test', version: '0.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${publicUrl}/mcp`), { authProvider: client });
    await mcp.connect(transport);
    try {
      expect(transport.sessionId).toBeTruthy();
      const whoami = await mcp.callTool({ name: 'jira_whoami', arguments: {} });
      expect(whoami.isError).toBeFalsy();
      // The mock gives each authorization its own user: the tool acted as the user of this flow.
      const [flow] = await mock.flows({ state: new URL(hops[1]!.url).searchParams.get('state')! });
      expect(whoami.structuredContent).toMatchObject({ accountId: flow!.identity.accountId, emailAddress: flow!.identity.email });
      const info = await mcp.callTool({ name: 'replica_info', arguments: {} });
      expect(info.structuredContent).toEqual({ pid: replica.child.pid, store: 'memory' });

      // The SDK's client refreshes when it holds a refresh token: new tokens, Atlassian's renewed behind them, same session.
      const before = client.tokens()!;
      expect(before.refresh_token).toBeTruthy();
      expect(await auth(client, { serverUrl: `${publicUrl}/mcp` })).toBe('AUTHORIZED');
      expect(client.tokens()!.access_token).not.toBe(before.access_token);
      expect(client.tokens()!.refresh_token).not.toBe(before.refresh_token);
      const again = await mcp.callTool({ name: 'jira_whoami', arguments: {} });
      expect(again.structuredContent).toMatchObject({ accountId: flow!.identity.accountId });
    } finally {
      await transport.terminateSession();
      await mcp.close();
    }
  });

  it('answers 404 to a session id it does not know, as the Streamable HTTP spec says', async () => {
    const listener = await startRedirectListener();
    listeners.push(listener);
    const client = new InMemoryOAuthClient(listener.url);
    await auth(client, { serverUrl: `${publicUrl}/mcp` });
    await new UserAgent().follow(client.authorizationUrl!.href);
    await auth(client, { serverUrl: `${publicUrl}/mcp`, authorizationCode: (await listener.received).get('code')! });
    const response = await fetch(`${publicUrl}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${client.tokens()!.access_token}`,
        'mcp-session-id': 'no-such-session',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: -32001, message: expect.stringContaining('Session not found (store memory') } });
  });
});

describe('remote process configuration', () => {
  it('exits with code 2 naming PUBLIC_URL when it is missing, never guessing it from a request', async () => {
    const result = await execa(process.execPath, ['--import', 'tsx', 'src/remote-process.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH, ATLASSIAN_CLIENT_ID: 'c', ATLASSIAN_CLIENT_SECRET: 'remote-secret', JIRA_COMPANY_URL: 'https://acme.atlassian.net', SESSION_STORE: 'memory' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('remote-process: configuration error\nMissing required environment variable PUBLIC_URL');
  });
});
