/**
 * src/ described as a target. Paths and environment names only: the harness
 * must not import src/, so that the same code can drive someone else's server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntryPoints } from './compiled-entry-points.ts';
import type { TargetDescription } from './target-description.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

const compiled = compiledEntryPoints(projectRoot, { name: 'target', sourceDirs: ['src'], entries: ['src/tool-process.ts', 'src/callback-process.ts'] });

/** Plain node on the compiled entry point: one process, the pid the harness sees. */
const nodeRunning = (entry: string) => ({ command: process.execPath, args: [path.join(compiled, entry)] });

export const defaultTarget: TargetDescription = {
  name: 'jira-mcp (src/)',
  cwd: projectRoot,
  toolProcess: nodeRunning('tool-process.js'),
  serveCallbackArgs: ['--serve-callback'],
  callbackProcess: nodeRunning('callback-process.js'),
  callbackReadyService: 'callback',
  callbackPath: '/oauth/callback',
  environment: (input) => ({
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
  }),
  tools: { startFlow: 'start_oauth', whoami: 'jira_whoami' },
  authorizeUrlFrom: (result) => {
    const structured = result.structuredContent?.authUrl;
    if (typeof structured === 'string') return structured;
    for (const item of result.content ?? []) {
      const text = (item as { text?: unknown }).text;
      const match = typeof text === 'string' ? /https?:\/\/\S+\/authorize\?\S+/.exec(text) : null;
      if (match) return match[0];
    }
    return undefined;
  },
  stores: {
    memory: { reach: 'process' },
    'json-file': { reach: 'host' },
    'atomic-file': { reach: 'host' },
    sqlite: { reach: 'host' },
    redis: { reach: 'hosts', needsRedis: true, needs: ['a redis server (REDIS_URL)'] },
    'sealed-state': { reach: 'hosts', needs: ['a key shared by every process (SESSION_SEAL_KEY)'] },
  },
  statusTool: 'oauth_status',
  invalidStateMessage: 'Invalid or expired OAuth state parameter. Please restart the authentication flow.',
};
