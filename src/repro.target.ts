/**
 * src/ described as a target of the battery, like any other MCP server:
 * the harness never imports src/ itself, only this file's description.
 * The entry points are compiled once per source version (esbuild), with
 * their dependencies, so each of the hundreds of processes a run starts
 * loads one file of plain JavaScript.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntryPoints } from '../harness/deploy/target/compiled-entry-points.ts';
import { defineTarget } from '../harness/deploy/target/target-file.ts';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
// Bundled with the dependencies every process loads (the MCP SDK, zod). The
// stores' libraries stay in node_modules, loaded as they are, and only by a
// process whose store uses them: better-sqlite3 is a native addon, and
// ioredis and write-file-atomic read __dirname / __filename, which a bundle
// would change under them.
const compiled = compiledEntryPoints(projectRoot, {
  name: 'target',
  sourceDirs: ['src'],
  entries: ['src/tool-process.ts', 'src/callback-process.ts', 'src/remote-process.ts'],
  bundleDependenciesExcept: ['better-sqlite3', 'ioredis', 'proper-lockfile', 'write-file-atomic'],
});
const entry = (name: string) => path.join(compiled, name);

export default defineTarget({
  name: 'jira-mcp (src/)',
  cwd: '..',
  tool: { command: 'node', args: [entry('tool-process.js')] },
  callback: { command: 'node', args: [entry('callback-process.js')], ready: { kind: 'json', stream: 'stdout', service: 'callback' } },
  both: { command: 'node', args: [entry('tool-process.js'), '--serve-callback'], ready: { kind: 'json', stream: 'stderr', service: 'callback' } },
  port: 'announced',
  callbackPath: '/oauth/callback',
  healthPath: '/health',
  env: (input) => ({
    ...(input.store === undefined ? {} : { SESSION_STORE: input.store }),
    ATLASSIAN_AUTH_URL: input.authUrl,
    ATLASSIAN_API_URL: input.apiUrl,
    ATLASSIAN_CLIENT_ID: input.clientId,
    ATLASSIAN_CLIENT_SECRET: input.clientSecret,
    ...(input.redirectUri ? { OAUTH_REDIRECT_URI: input.redirectUri } : {}),
    PORT: input.port,
    JIRA_COMPANY_URL: input.companyUrl,
    JIRA_USER_EMAIL: input.userEmail,
    ...(input.store === 'redis' && input.redisUrl ? { REDIS_URL: input.redisUrl } : {}),
    ...(input.store === 'sealed-state' ? { SESSION_SEAL_KEY: input.sealKey } : {}),
    ...(input.providerTimeoutMs ? { OAUTH_HTTP_TIMEOUT_MS: input.providerTimeoutMs } : {}),
  }),
  providerHosts: 'from-env',
  runtime: 'node',
  startFlow: { tool: 'start_oauth', authorizeUrl: { field: 'authUrl' } },
  callbackPage: {
    success: /Authorization complete/,
    invalidState: /Token exchange failed: Invalid or expired OAuth state parameter\. Please restart the authentication flow\./,
  },
  tokenTool: { tool: 'jira_whoami', identity: { field: 'accountId' } },
  statusTool: { tool: 'oauth_status', storeField: 'store' },
  stores: {
    memory: { reach: 'process' },
    'json-file': { reach: 'host' },
    'atomic-file': { reach: 'host' },
    sqlite: { reach: 'host' },
    redis: { reach: 'hosts', needsRedis: true, needs: ['a redis server (REDIS_URL)'] },
    'sealed-state': { reach: 'hosts', needs: ['a key shared by every process (SESSION_SEAL_KEY)'] },
  },
  defaultStore: 'atomic-file',
  storeModule: 'stores/create-session-store.ts',
  // The same server over Streamable HTTP, doing MCP authorization as an OAuth proxy to Atlassian: the remote scenarios run it as replicas.
  remote: {
    command: 'node',
    args: [entry('remote-process.js')],
    env: (input) => ({
      ...(input.store === undefined ? {} : { SESSION_STORE: input.store }),
      PUBLIC_URL: input.publicUrl,
      PORT: input.ports.mcp!,
      ATLASSIAN_AUTH_URL: input.authUrl,
      ATLASSIAN_API_URL: input.apiUrl,
      ATLASSIAN_CLIENT_ID: input.clientId,
      ATLASSIAN_CLIENT_SECRET: input.clientSecret,
      JIRA_COMPANY_URL: input.companyUrl,
      ...(input.store === 'redis' && input.redisUrl ? { REDIS_URL: input.redisUrl } : {}),
      ...(input.store === 'sealed-state' ? { SESSION_SEAL_KEY: input.sealKey } : {}),
    }),
    ready: { kind: 'json', stream: 'stdout', service: 'remote' },
    mcpPath: '/mcp',
    publicUrl: 'from-env',
    oauth: { role: 'proxy', providerCallbackPath: '/oauth/callback' },
    toolCall: { name: 'jira_whoami' },
  },
});
