/**
 * The remote server's MCP tools. Each request's tools read the Atlassian
 * token from the request's AuthInfo (put there by the bearer middleware from
 * the access-token mapping), never from a per-user store: every user of the
 * server signs in for themselves.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { RemoteConfig } from '../config.ts';
import { JiraClient } from '../jira-client.ts';
import type { Logger } from '../log.ts';
import { OAuthError } from '../oauth-errors.ts';
import type { StoreKind, StoredTokens } from '../session-store.ts';
import { jiraWhoamiOutput, SERVER_NAME, SERVER_VERSION, toolError, whoamiResult } from '../tool-server.ts';
import type { UpstreamAuthExtra } from './proxy-provider.ts';

export const REMOTE_TOOL_NAMES = ['jira_whoami', 'replica_info'] as const;

export const replicaInfoOutput = {
  pid: z.number().int().describe('process id of the replica that served this call'),
  store: z.string().describe('session store kind (SESSION_STORE)'),
};

export interface RemoteToolsOptions {
  config: Pick<RemoteConfig, 'apiUrl' | 'jiraCompanyUrl' | 'httpTimeoutMs'> & Partial<Pick<RemoteConfig, 'provider' | 'authUrl'>>;
  storeKind: StoreKind;
  log: Logger;
}

function upstreamTokensOf(authInfo: AuthInfo | undefined): StoredTokens {
  const upstream = (authInfo?.extra as UpstreamAuthExtra | undefined)?.upstream;
  // The bearer middleware runs before every /mcp request; without it there is no user to act for.
  if (!upstream) throw new OAuthError('not_authenticated', 'This request carries no verified access token');
  return upstream;
}

/** A server for one request (the transport is made per request; see mcp-endpoint.ts). */
export function createRemoteToolServer(options: RemoteToolsOptions): McpServer {
  const { config, storeKind, log } = options;
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

  server.registerTool(
    'jira_whoami',
    {
      title: 'Jira: who am I',
      description: 'Calls Jira /rest/api/3/myself with the Atlassian token behind this MCP access token.',
      outputSchema: jiraWhoamiOutput,
    },
    async (extra): Promise<CallToolResult> => {
      try {
        const upstream = upstreamTokensOf(extra.authInfo);
        const jira = new JiraClient({
          config: { ...config, userEmail: 'the signed-in user' },
          logger: log.child('jira'),
          oauth: {
            getTokens: async () => upstream,
            refresh: async () => {
              throw new OAuthError('not_authenticated', 'The Atlassian token behind this access token expired: authorize again');
            },
          },
        });
        return whoamiResult(await jira.whoami());
      } catch (error) {
        log.warn(`jira_whoami failed: ${error instanceof Error ? error.message : String(error)}`);
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'replica_info',
    {
      title: 'Replica info',
      description: 'Says which process (replica) served this call and its session store.',
      outputSchema: replicaInfoOutput,
    },
    async (): Promise<CallToolResult> => {
      const info = { pid: process.pid, store: storeKind };
      return { content: [{ type: 'text', text: `Served by pid ${info.pid} (store ${info.store}).` }], structuredContent: info };
    },
  );

  return server;
}
