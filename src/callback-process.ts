/**
 * Entry point of the callback process (split topologies): serves
 * /oauth/callback and /health on 127.0.0.1:PORT.
 *
 * stdout carries exactly one line, once listening:
 *   {"ready":"callback","url":"http://127.0.0.1:PORT","pid":PID}
 * Everything else goes to stderr. A configuration error exits with code 2.
 *
 * Flags: --no-stdin-watch  do not exit when stdin ends (for a start with
 *        stdin from /dev/null; by default stdin ending means the parent died).
 */
import { loadConfig, redirectUriForPort } from './config.ts';
import { createLogger, registerSecret } from './log.ts';
import { OAuthManager } from './oauth-manager.ts';
import { openSessionStore, sessionStoreOptionsFromConfig } from './stores/open-session-store.ts';
import { createCallbackServer } from './callback-server.ts';
import { exitOnStartupError, installShutdown, parseFlags } from './process-lifecycle.ts';

const PROCESS_NAME = 'callback-process';

async function main(): Promise<void> {
  const args = parseFlags(PROCESS_NAME, ['--no-stdin-watch']);

  // The callback process serves the callback itself, so with PORT=0 its
  // redirect URI may be derived; it only matters for the tool process anyway
  // (the exchange uses the redirect URI stored in the session).
  const config = loadConfig(process.env, { servesCallback: true });
  registerSecret(config.clientSecret);
  const log = createLogger(PROCESS_NAME);
  const store = await openSessionStore(config.sessionStore, {
    ...sessionStoreOptionsFromConfig(config, { servesCallback: true }),
    logger: log.child(config.sessionStore),
  });
  const oauth = new OAuthManager({ config, store, logger: log.child('oauth') });
  const callback = createCallbackServer({ oauth, storeKind: store.kind, tokenRelay: store.tokenRelay, logger: log.child('http') });

  const { url, port } = await callback.listen(config.port);
  if (!config.redirectUri) oauth.useRedirectUri(redirectUriForPort(port));
  installShutdown({
    log,
    watchStdin: !args.has('--no-stdin-watch'),
    cleanup: async () => {
      await callback.close();
      await store.close();
    },
  });
  log.info(`Listening on ${url} (store ${store.kind}, pid ${process.pid})`);
  process.stdout.write(`${JSON.stringify({ ready: 'callback', url, pid: process.pid })}\n`);
}

main().catch((error: unknown) => exitOnStartupError(PROCESS_NAME, error));
