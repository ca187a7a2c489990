/**
 * The MCP side: three tools over the official SDK. A failure is a tool result
 * with isError (so the model sees why), never a thrown error or a crash.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { OAuthManager } from './oauth-manager.ts';
import type { JiraClient, JiraUser } from './jira-client.ts';
import { createLogger, redact, type Logger } from './log.ts';
import { SESSION_TTL_MS } from './session-store.ts';

export const SERVER_NAME = 'jira-oauth-mcp';
export const SERVER_VERSION = '0.1.0';

export const TOOL_NAMES = ['start_oauth', 'oauth_status', 'jira_whoami'] as const;

export const startOAuthOutput = {
  authUrl: z.string().url().describe('Atlassian authorize URL to open in a browser'),
  state: z.string().describe('OAuth state of this flow (single use, valid 15 minutes)'),
};

export const oauthStatusOutput = {
  authenticated: z.boolean(),
  store: z.string().describe('session store kind (SESSION_STORE)'),
  activeSessions: z.number().int().describe('OAuth sessions currently held by the store'),
  tokenExpiresAt: z.string().nullable().describe('ISO time the stored access token expires, or null'),
};

export const jiraWhoamiOutput = {
  accountId: z.string(),
  emailAddress: z.string().nullable(),
  displayName: z.string(),
};

export interface ToolServerOptions {
  oauth: OAuthManager;
  jira: JiraClient;
  logger?: Logger;
}

/** A failed call as the MCP client sees it: the error's message, credentials redacted. */
export function toolError(error: unknown): CallToolResult {
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: 'text', text: redact(message) }] };
}

/** jira_whoami's answer, whichever way the server reached Jira (stdio with its stored token, or remote with the caller's). */
export function whoamiResult(me: JiraUser): CallToolResult {
  const user = { accountId: me.accountId, emailAddress: me.emailAddress, displayName: me.displayName };
  const text = `Signed in to ${me.siteUrl} as ${me.displayName} (${me.emailAddress ?? 'email hidden'}), accountId ${me.accountId}.`;
  return { content: [{ type: 'text', text }], structuredContent: user };
}

export function createToolServer(options: ToolServerOptions): McpServer {
  const { oauth, jira } = options;
  const log = options.logger ?? createLogger('tools');
  const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION });

  server.registerTool(
    'start_oauth',
    {
      title: 'Start Jira OAuth',
      description: 'Starts the Atlassian browser OAuth flow (PKCE S256) and returns the URL to open.',
      outputSchema: startOAuthOutput,
    },
    async (): Promise<CallToolResult> => {
      try {
        const { authUrl, state } = await oauth.startAuthorization();
        const minutes = SESSION_TTL_MS / 60_000;
        const text = [
          '🔐 Jira OAuth authorization required',
          '',
          'Open this URL in your browser to authorize access to Jira:',
          '',
          authUrl,
          '',
          `The link works once and expires in ${minutes} minutes. After you approve, the browser is sent to ${oauth.currentRedirectUri ?? 'the redirect URI'}; that page says when you can close the window.`,
        ].join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { authUrl, state } };
      } catch (error) {
        log.error(`start_oauth failed: ${error instanceof Error ? error.message : String(error)}`);
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'oauth_status',
    {
      title: 'OAuth status',
      description: 'Reports whether a Jira token is stored, the session store in use and its active OAuth sessions.',
      outputSchema: oauthStatusOutput,
    },
    async (): Promise<CallToolResult> => {
      try {
        const status = await oauth.status();
        const text = status.authenticated
          ? `Authenticated with Atlassian (token expires ${status.tokenExpiresAt}). Store: ${status.store}, active OAuth sessions: ${status.activeSessions}.`
          : `Not authenticated: run start_oauth. Store: ${status.store}, active OAuth sessions: ${status.activeSessions}.`;
        return { content: [{ type: 'text', text }], structuredContent: { ...status } };
      } catch (error) {
        log.error(`oauth_status failed: ${error instanceof Error ? error.message : String(error)}`);
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'jira_whoami',
    {
      title: 'Jira: who am I',
      description: 'Calls Jira /rest/api/3/myself with the stored token. Requires start_oauth to have completed.',
      outputSchema: jiraWhoamiOutput,
    },
    async (): Promise<CallToolResult> => {
      try {
        return whoamiResult(await jira.whoami());
      } catch (error) {
        log.warn(`jira_whoami failed: ${error instanceof Error ? error.message : String(error)}`);
        return toolError(error);
      }
    },
  );

  return server;
}
