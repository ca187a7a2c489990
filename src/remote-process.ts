/**
 * Entry point of the remote process: the Jira MCP server over Streamable
 * HTTP, doing MCP authorization as an OAuth proxy to Atlassian, on
 * 127.0.0.1:PORT. Run one, or several replicas with the same PUBLIC_URL (the
 * balancer's) and SESSION_STORE behind a balancer.
 *
 * stdout carries exactly one line, once listening:
 *   {"ready":"remote","url":"http://127.0.0.1:PORT","pid":PID}
 * (url: where this replica listens; the server names itself by PUBLIC_URL).
 * Everything else goes to stderr. A configuration error exits with code 2.
 *
 * Flags: --no-stdin-watch  do not exit when stdin ends (for a start with
 *        stdin from /dev/null; by default stdin ending means the parent died).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRemoteConfig } from './config.ts';
import { createLogger, registerSecret } from './log.ts';
import { openSessionStore, sessionStoreOptionsFromConfig } from './stores/open-session-store.ts';
import { createRemoteApp } from './remote/remote-app.ts';
import { exitOnStartupError, installShutdown, parseFlags } from './process-lifecycle.ts';

const PROCESS_NAME = 'remote-process';

async function main(): Promise<void> {
  const args = parseFlags(PROCESS_NAME, ['--no-stdin-watch']);
  const config = loadRemoteConfig(process.env);
  registerSecret(config.clientSecret);
  const log = createLogger(PROCESS_NAME);
  // servesCallback: the remote process keeps sealed-state's tokens namespace itself (it does not use it).
  const store = await openSessionStore(config.sessionStore, {
    ...sessionStoreOptionsFromConfig(config, { servesCallback: true }),
    logger: log.child(config.sessionStore),
  });
  const server = http.createServer(createRemoteApp({ config, store, log }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error(`Server error: ${error.message}`));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  installShutdown({
    log,
    watchStdin: !args.has('--no-stdin-watch'),
    cleanup: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  });
  log.info(`Listening on ${url} as ${config.publicUrl} (store ${store.kind}, pid ${process.pid})`);
  process.stdout.write(`${JSON.stringify({ ready: 'remote', url, pid: process.pid })}\n`);
}

main().catch((error: unknown) => exitOnStartupError(PROCESS_NAME, error));
