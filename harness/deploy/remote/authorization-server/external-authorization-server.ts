/**
 * Starts and stops the authorization server of a `resource` deployment:
 * one real process on loopback (sdk-demo-authorization-server.mjs), told
 * the MCP endpoint it issues tokens for (the balancer's), ready when it
 * says it listens. Its issuer and introspection endpoint are what every
 * replica is told to trust.
 */
import { fileURLToPath } from 'node:url';
import { spawnChild } from '../../process/child-process.ts';
import { explainStartFailure } from '../../process/readiness.ts';
import { freePort } from '../../process/free-port.ts';

const SCRIPT = fileURLToPath(new URL('./sdk-demo-authorization-server.mjs', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

export interface ExternalAuthorizationServer {
  /** Its issuer (RFC 8414): metadata at /.well-known/oauth-authorization-server. */
  issuer: string;
  /** RFC 7662 token introspection. */
  introspectionEndpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startExternalAuthorizationServer(options: { name: string; logDir: string; mcpUrl: string }): Promise<ExternalAuthorizationServer> {
  const port = await freePort();
  const child = spawnChild({ name: options.name, command: process.execPath, args: [SCRIPT, String(port), options.mcpUrl], env: {}, logDir: options.logDir });
  try {
    await child.waitForLine('stdout', (line) => (line.includes(`listening on port ${port}`) ? true : undefined), 'the authorization server listening', READY_TIMEOUT_MS);
  } catch (error) {
    const explained = await explainStartFailure(child, error);
    await child.stop({ graceMs: 300 });
    throw explained;
  }
  const issuer = `http://127.0.0.1:${port}`;
  return { issuer, introspectionEndpoint: `${issuer}/introspect`, pid: child.pid, stop: () => child.stop({ graceMs: 500 }).then(() => undefined) };
}
