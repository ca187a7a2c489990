/**
 * What a user writes to put a remote MCP server (Streamable HTTP, doing MCP
 * authorization) under the remote scenarios: several replicas of it behind
 * a real load balancer, the harness as the MCP client. Either as the
 * `remote` field of a target file that also describes a stdio server, or
 * alone: `export default defineRemoteTarget({ name, remote, stores })`.
 */
import type { StoreProfile } from '../../core/store-profile.ts';
import type { Readiness } from './readiness.ts';

/** What the harness hands a remote server's `env` for one replica. */
export interface RemoteInputs {
  /** The replica's name in the run (`a`, `b`, ...): what the balancer's served-by header says. */
  replica: string;
  /** The store to configure, by the name in `stores`; undefined: the server's own default. */
  store: string | undefined;
  /**
   * The balancer's URL for the first listener (http://127.0.0.1:PORT, no path): what the server must call
   * itself (issuer, protected resource, its redirect URI at the provider), since the client only ever sees it.
   */
  publicUrl: string;
  /** The balancer's URL per listener, by the names in `listeners`. */
  publicUrls: Readonly<Record<string, string>>;
  /** Where this replica listens, per listener: its own free port (`publicUrl: 'from-env'`), or the balancer's port (`'own-port'`, in a network namespace of its own). */
  ports: Readonly<Record<string, string>>;
  /** The run's mock of the provider (a proxy's upstream), and the OAuth client registered there for this deployment. */
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** A proxy's redirect URI at the provider (publicUrl + providerCallbackPath), as registered at the mock; undefined for other roles. */
  providerRedirectUri: string | undefined;
  /** The replica's host: its temporary folder ('/tmp' with a private /tmp, else the host's folder) and home (also TMPDIR and HOME). */
  tmpDir: string;
  homeDir: string;
  /** The Jira site the mock lists for the signed-in user, and a user of this deployment. */
  companyUrl: string;
  userEmail: string;
  /** The run's redis-server, for stores whose profile needs one. */
  redisUrl: string | undefined;
  /** A key shared by every replica of one deployment (32 random bytes, base64url), for stores that seal state. */
  sealKey: string;
  /**
   * A `resource` server's authorization server, run by the harness for the deployment (one process, not balanced):
   * its issuer (metadata at /.well-known/oauth-authorization-server) and its RFC 7662 introspection endpoint. Undefined for other roles.
   */
  authorizationServer: { issuer: string; introspectionEndpoint: string } | undefined;
}

/**
 * The server's part in OAuth:
 * - `proxy`: its own /authorize, /token and /register in front of the provider (the run's mock); the provider
 *   redirects the browser back to it at `providerCallbackPath`, and it then sends the browser on to the client.
 * - `authorization-server`: it issues its own codes and tokens, with no provider behind it.
 * - `resource`: it only verifies tokens of an external authorization server (the harness runs one per deployment
 *   and passes it as `authorizationServer`), whose issuer its protected-resource metadata names; it keeps no OAuth
 *   state of its own, only its MCP sessions. Its replicas must reach that server on loopback: `publicUrl: 'from-env'`.
 */
export type RemoteOAuthRole = { role: 'proxy'; providerCallbackPath: string } | { role: 'authorization-server' } | { role: 'resource' };

export interface RemoteServer {
  /** An executable (no shell); `node` means the harness's own Node binary. */
  command: string;
  args?: readonly string[];
  /** The environment of one replica, in the server's own variable names (TMPDIR and HOME are the host's, set by the harness). */
  env(input: RemoteInputs): Record<string, string>;
  /**
   * When a replica is ready: each of these holds (a server with two listeners may say so in two lines).
   * `http` polls `path` on the first listener; `json` and `log-line` as for a stdio target.
   */
  ready: Readiness | readonly Readiness[];
  /** Names of the ports it listens on, the MCP endpoint's first (default ['mcp']): each gets a balancer of its own. */
  listeners?: readonly string[];
  /** The MCP endpoint's path on the first listener (default /mcp). */
  mcpPath?: string;
  /**
   * How it learns the URL it is reached at:
   * - `from-env`: from its environment (`publicUrl`); replicas listen on ports of their own;
   * - `own-port`: it names itself http://localhost:<the port it listens on>; each replica then runs in a network
   *   namespace of its own and listens on the balancer's ports, so the name it computes is the balancer's.
   */
  publicUrl: 'from-env' | 'own-port';
  oauth: RemoteOAuthRole;
  /** The tool called at the end of each flow, once the session is open (one that needs the signed-in user says most). */
  toolCall: { name: string; arguments?: Readonly<Record<string, unknown>> };
}

export interface RemoteTargetFile {
  name: string;
  /** Working directory of every replica, relative to the target file (default: the file's folder). */
  cwd?: string;
  remote: RemoteServer;
  /** The stores it can be set to, each with its reach; a server with one fixed store lists that one. */
  stores: Readonly<Record<string, StoreProfile>>;
  defaultStore?: string;
}

/** Types a remote-only target file; the harness validates it again when it loads it. */
export function defineRemoteTarget(target: RemoteTargetFile): RemoteTargetFile {
  return target;
}
