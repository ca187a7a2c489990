/**
 * Entry point of the tool process: an MCP server over stdio. stdout carries
 * MCP only; every log line goes to stderr.
 *
 * Flags:
 *   --serve-callback  also serve /oauth/callback and /health in this process
 *                     (single-process topology). Once listening it writes
 *                     {"ready":"callback","url":"http://127.0.0.1:PORT","pid":PID}
 *                     on STDERR, and derives OAUTH_REDIRECT_URI if unset.
 * stdin is the MCP channel: its end (or SIGTERM/SIGINT) stops the process.
 * A configuration error exits with code 2.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadConfig, redirectUriForPort } from './config.ts';
import { createLogger, registerSecret } from './log.ts';
import { OAuthManager } from './oauth-manager.ts';
import { JiraClient } from './jira-client.ts';
import { openSessionStore, sessionStoreOptionsFromConfig } from './stores/open-session-store.ts';
import { createCallbackServer, type CallbackServer } from './callback-server.ts';
import { createToolServer } from './tool-server.ts';
import { exitOnStartupError, installShutdown, parseFlags } from './process-lifecycle.ts';

const PROCESS_NAME = 'tool-process';

async function main(): Promise<void> {
  const args = parseFlags(PROCESS_NAME, ['--serve-callback']);
  const serveCallback = args.has('--serve-callback');

  const config = loadConfig(process.env, { servesCallback: serveCallback });
  registerSecret(config.clientSecret);
  const log = createLogger(PROCESS_NAME);
  const store = await openSessionStore(config.sessionStore, {
    ...sessionStoreOptionsFromConfig(config, { servesCallback: serveCallback }),
    logger: log.child(config.sessionStore),
  });
  const oauth = new OAuthManager({ config, store, logger: log.child('oauth') });
  const jira = new JiraClient({ config, oauth, logger: log.child('jira') });

  let callback: CallbackServer | undefined;
  let callbackUrl: string | undefined;
  if (serveCallback) {
    callback = createCallbackServer({ oauth, storeKind: store.kind, tokenRelay: store.tokenRelay, logger: log.child('http') });
    const { url, port } = await callback.listen(config.port);
    callbackUrl = url;
    if (!config.redirectUri) oauth.useRedirectUri(redirectUriForPort(port));
  }

  const server = createToolServer({ oauth, jira, logger: log.child('tools') });
  const transport = new StdioServerTransport();
  const shutdown = installShutdown({
    log,
    watchStdin: true,
    cleanup: async () => {
      await server.close().catch(() => {});
      await callback?.close();
      await store.close();
    },
  });
  transport.onclose = () => shutdown('MCP transport closed');
  await server.connect(transport);

  log.info(`MCP server ready on stdio (store ${store.kind}, pid ${process.pid})`);
  if (callbackUrl) {
    log.info(`Callback served in-process at ${callbackUrl}`);
    process.stderr.write(`${JSON.stringify({ ready: 'callback', url: callbackUrl, pid: process.pid })}\n`);
  }
}

main().catch((error: unknown) => exitOnStartupError(PROCESS_NAME, error));
