/**
 * The MCP SDK's own example of a remote server with MCP authorization
 * (`examples/server/simpleStreamableHttp.js --oauth`), run unmodified: a
 * reference remote target whose behaviour the SDK's maintainers define. It
 * keeps everything in memory (clients, codes, tokens, sessions), serves MCP
 * on MCP_PORT and its authorization server on MCP_AUTH_PORT, and names its
 * public URLs http://localhost:<port>. Started through the one spawning
 * module, ready when it has said both of its "listening" lines. For the
 * remote layer's own tests; a run knows it by its target file
 * (fixtures/targets/sdk-example-remote/target.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnChild, type RunningChild } from '../../process/child-process.ts';
import { freePort } from '../../process/free-port.ts';
import { startNamespacedReplica, type NamespacedReplica } from '../namespaced-replica.ts';

const MCP_LISTENING = /MCP Streamable HTTP Server listening on port (\d+)/;
const AUTH_LISTENING = /OAuth Authorization Server listening on port (\d+)/;

/** The ESM build of the example, found from the installed SDK. */
export function sdkExampleServerPath(): string {
  const clientEntry = createRequire(import.meta.url).resolve('@modelcontextprotocol/sdk/client/index.js');
  const distFolder = path.dirname(path.dirname(path.dirname(clientEntry)));
  const example = path.join(distFolder, 'esm', 'examples', 'server', 'simpleStreamableHttp.js');
  if (!existsSync(example)) throw new Error(`the MCP SDK's example server is not at ${example} (is @modelcontextprotocol/sdk installed, at a version that ships its examples?)`);
  return example;
}

export interface SdkExampleServer {
  child: RunningChild;
  /** http://localhost:<MCP_PORT>/mcp, as the server names itself. */
  mcpUrl: URL;
  mcpOrigin: string;
  /** http://localhost:<MCP_AUTH_PORT>: its authorization server. */
  authOrigin: string;
  stop(): Promise<void>;
}

export interface SdkExampleServerOptions {
  /** Names the process and its log file. */
  name: string;
  logDir: string;
  /** Default ['--oauth']; ['--oauth-strict'] also checks the token's resource. */
  args?: readonly string[];
}

export async function startSdkExampleServer(options: SdkExampleServerOptions): Promise<SdkExampleServer> {
  const [mcpPort, authPort] = [await freePort(), await freePort()];
  const child = spawnChild({
    name: options.name,
    command: process.execPath,
    args: [sdkExampleServerPath(), ...(options.args ?? ['--oauth'])],
    env: { MCP_PORT: String(mcpPort), MCP_AUTH_PORT: String(authPort) },
    logDir: options.logDir,
  });
  try {
    await bothListening(child);
  } catch (error) {
    await child.stop({ graceMs: 500 });
    throw error;
  }
  const mcpOrigin = `http://localhost:${mcpPort}`;
  return {
    child,
    mcpUrl: new URL('/mcp', mcpOrigin),
    mcpOrigin,
    authOrigin: `http://localhost:${authPort}`,
    stop: async () => {
      await child.stop({ graceMs: 1000 });
    },
  };
}

/** Ready when it has said both of its "listening" lines, in either order. */
function bothListening(child: RunningChild): Promise<unknown> {
  return Promise.all([
    child.waitForLine('stdout', (line) => MCP_LISTENING.exec(line) ?? undefined, 'its MCP listener', 15_000),
    child.waitForLine('stdout', (line) => AUTH_LISTENING.exec(line) ?? undefined, 'its authorization server listener', 15_000),
  ]);
}

export interface SdkExampleReplicaOptions {
  name: string;
  logDir: string;
  socketDir: string;
  /** The same for every replica: the ports its public URLs name, where the balancer listens. */
  mcpPort: number;
  authPort: number;
}

/** One replica of the example in a network namespace of its own, its two ports bridged to unix sockets (namespaced-replica.ts). */
export function startSdkExampleReplica(options: SdkExampleReplicaOptions): Promise<NamespacedReplica> {
  return startNamespacedReplica({
    name: options.name,
    logDir: options.logDir,
    socketDir: options.socketDir,
    command: process.execPath,
    args: [sdkExampleServerPath(), '--oauth'],
    env: { MCP_PORT: String(options.mcpPort), MCP_AUTH_PORT: String(options.authPort) },
    ports: [options.mcpPort, options.authPort],
    ready: bothListening,
  });
}
