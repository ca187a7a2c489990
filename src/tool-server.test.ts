import nock from 'nock';
import { nockForThisFile } from '../test/setup/nock-for-this-file.ts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createToolServer, TOOL_NAMES } from './tool-server.ts';
import { OAuthManager } from './oauth-manager.ts';
import { JiraClient } from './jira-client.ts';
import { MemorySessionStore } from './stores/memory-store.ts';
import { silentLogger } from './log.ts';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

const AUTH = 'https://auth.example.test';
const API = 'https://api.example.test';
const SITE = 'https://acme.atlassian.net';
const EMAIL = 'dev@acme.test';

let client: Client;
let server: McpServer;
let oauth: OAuthManager;

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

async function call(name: string): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: {} })) as CallToolResult;
}

async function storeToken(expiresAt = Date.now() + 3_600_000, refreshToken?: string): Promise<void> {
  await oauth.store.put('tokens', EMAIL, {
    accessToken: 'access-1',
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt,
    scope: 'read:jira-user',
    obtainedAt: Date.now(),
  });
}

nockForThisFile();
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  MemorySessionStore.clearAllForTesting();
  const config = {
    clientId: 'cid',
    clientSecret: 'client-secret-for-tests',
    redirectUri: 'http://127.0.0.1:4567/oauth/callback',
    authUrl: AUTH,
    apiUrl: API,
    jiraCompanyUrl: SITE,
    userEmail: EMAIL,
    httpTimeoutMs: 2000,
  };
  oauth = new OAuthManager({ config, store: new MemorySessionStore({ logger: silentLogger }), logger: silentLogger });
  const jira = new JiraClient({ config, oauth, logger: silentLogger });
  server = createToolServer({ oauth, jira, logger: silentLogger });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'tool-server-test', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
});

afterEach(async () => {
  await client.close();
  await server.close();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('tool server', () => {
  it('lists the three tools with output schemas and no required input', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.required ?? []).toEqual([]);
      expect(tool.outputSchema).toBeDefined();
    }
    const start = tools.find((t) => t.name === 'start_oauth');
    expect(Object.keys(start!.outputSchema!.properties ?? {}).sort()).toEqual(['authUrl', 'state']);
  });

  it('start_oauth returns the authorize URL as text and as structuredContent, and stores the session', async () => {
    const result = await call('start_oauth');
    expect(result.isError).toBeFalsy();
    const { authUrl, state } = result.structuredContent as { authUrl: string; state: string };
    expect(new URL(authUrl).searchParams.get('state')).toBe(state);
    expect(authUrl.startsWith(`${AUTH}/authorize?`)).toBe(true);
    expect(textOf(result)).toContain(authUrl);
    expect(await oauth.store.get('sessions', state)).toMatchObject({ state, userEmail: EMAIL });
  });

  it('oauth_status reports the store and active sessions', async () => {
    await call('start_oauth');
    await call('start_oauth');
    const result = await call('oauth_status');
    expect(result.structuredContent).toEqual({ authenticated: false, store: 'memory', activeSessions: 2, tokenExpiresAt: null });
    await storeToken(Date.parse('2030-01-01T00:00:00Z'));
    const after = await call('oauth_status');
    expect(after.structuredContent).toMatchObject({ authenticated: true, tokenExpiresAt: '2030-01-01T00:00:00.000Z' });
  });

  it('jira_whoami without a token is a tool error telling to run start_oauth', async () => {
    const result = await call('jira_whoami');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Run the start_oauth tool first/);
  });

  it('jira_whoami picks the configured site and returns the user', async () => {
    await storeToken();
    nock(API)
      .get('/oauth/token/accessible-resources')
      .matchHeader('authorization', 'Bearer access-1')
      .reply(200, [
        { id: 'other-cloud', url: 'https://other.atlassian.net', name: 'other' },
        { id: 'acme-cloud', url: SITE, name: 'acme' },
      ]);
    nock(API)
      .get('/ex/jira/acme-cloud/rest/api/3/myself')
      .matchHeader('authorization', 'Bearer access-1')
      .reply(200, { accountId: '5b10a2844c20165700ede21g', emailAddress: EMAIL, displayName: 'Dev Eloper', active: true });
    const result = await call('jira_whoami');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ accountId: '5b10a2844c20165700ede21g', emailAddress: EMAIL, displayName: 'Dev Eloper' });
    expect(textOf(result)).toContain('Dev Eloper');
  });

  it('jira_whoami refreshes an expired token first', async () => {
    await storeToken(Date.now() - 1000, 'refresh-1');
    nock(AUTH).post('/oauth/token', (b: Record<string, string>) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1').reply(200, {
      access_token: 'access-2',
      refresh_token: 'refresh-2',
      expires_in: 3600,
    });
    nock(API).get('/oauth/token/accessible-resources').matchHeader('authorization', 'Bearer access-2').reply(200, [{ id: 'c1', url: SITE }]);
    nock(API).get('/ex/jira/c1/rest/api/3/myself').reply(200, { accountId: 'a1', displayName: 'D' });
    const result = await call('jira_whoami');
    expect(result.structuredContent).toEqual({ accountId: 'a1', emailAddress: null, displayName: 'D' });
    expect(await oauth.getTokens()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it.each([
    [401, 'rejected the access token (HTTP 401)'],
    [500, 'failed with HTTP 500'],
  ])('jira_whoami turns HTTP %i into a tool error', async (status, text) => {
    await storeToken();
    nock(API).get('/oauth/token/accessible-resources').reply(status, { message: 'no' });
    const result = await call('jira_whoami');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(text);
  });

  it('jira_whoami with no accessible site is a tool error', async () => {
    await storeToken();
    nock(API).get('/oauth/token/accessible-resources').reply(200, []);
    const result = await call('jira_whoami');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('no Jira site');
  });

  it('start_oauth failure is a tool error, not a crash', async () => {
    oauth.useRedirectUri('');
    const result = await call('start_oauth');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('OAUTH_REDIRECT_URI');
    expect((await call('oauth_status')).isError).toBeFalsy();
  });
});
