/**
 * What a balancer in front of replicas is, as data: its loopback port, the
 * replicas, the policy that picks one per request, the header that names the
 * replica which answered, timeouts and the runtime socket. Checked here,
 * field by field, before anything is written or started: a bad description
 * is a coded error that names the field, what was expected and what came.
 */
import net from 'node:net';

import { BALANCER_POLICIES, type BalancerPolicy } from '../../core/remote-vocabulary.ts';

export { BALANCER_POLICIES, type BalancerPolicy };

/** The header the MCP Streamable HTTP transport carries a session's id in. */
export const MCP_SESSION_HEADER = 'Mcp-Session-Id';
export const DEFAULT_SERVED_BY_HEADER = 'x-served-by';
/** Cookie haproxy inserts under sticky-cookie; its value is the replica's name (a hash for one added at runtime). */
export const STICKY_COOKIE_NAME = 'SERVERID';
/**
 * The served-by value of a response no replica had a part in (503 with
 * every replica down or in maintenance, 400 for a request haproxy refused):
 * haproxy's own word for it in its logs, and no replica can be named so.
 */
export const NO_REPLICA = '<NOSRV>';

/**
 * One replica: reached over TCP, or over a unix socket (a replica in a
 * network namespace of its own, listening on the same port as the others,
 * is reached through a socket bridged into its namespace).
 */
export type Replica =
  | {
      /** haproxy's server name: what the served-by header and the runtime API call it. */
      name: string;
      /** An IP literal (IPv4 or IPv6): haproxy would resolve a host name once, at start, and never again. */
      host: string;
      port: number;
      socket?: undefined;
    }
  | { name: string; /** An absolute path. */ socket: string; host?: undefined; port?: undefined };

export interface BalancerTimeouts {
  /** To open a connection to a replica. */
  connectMs: number;
  /** Client inactivity. */
  clientMs: number;
  /** Replica inactivity: an SSE stream quiet for longer is cut. */
  serverMs: number;
  /** For a client to send a whole request's headers. */
  httpRequestMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<BalancerTimeouts> = { connectMs: 2000, clientMs: 60_000, serverMs: 60_000, httpRequestMs: 10_000 };

export interface BalancerDescription {
  /** The frontend's port on 127.0.0.1. Not 0: haproxy does not say which port it got. */
  frontendPort: number;
  replicas: readonly Replica[];
  policy: BalancerPolicy;
  servedByHeader?: string;
  timeouts?: Partial<BalancerTimeouts>;
  /** The runtime API's unix socket (admin level, mode 600). */
  runtimeSocketPath: string;
  /** Headers set on every request before it goes to a replica (a bearer token for a client that cannot send one, say). */
  requestHeaders?: Readonly<Record<string, string>>;
}

/**
 * sun_path holds 108 bytes, and haproxy binds `<path>.<pid>.tmp` first and
 * renames it: 2.6 refuses a path longer than 97 ("too long (max 97)").
 */
export const MAX_RUNTIME_SOCKET_PATH_BYTES = 97;

/** haproxy accepts letters, digits and - _ . : in a server name; ':' is left out so `backend/name` and logs stay unambiguous. */
const REPLICA_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class BalancerDescriptionError extends Error {
  readonly code = 'balancer_description_invalid';
  constructor(
    /** The field, as a path: `replicas[1].port`. */
    readonly field: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`balancer: ${field} must be ${expected}, got ${JSON.stringify(actual) ?? String(actual)}`);
    this.name = 'BalancerDescriptionError';
  }
}

function checkPort(field: string, port: unknown): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new BalancerDescriptionError(field, 'an integer port from 1 to 65535', port);
  }
}

/** A replica's name: what the runtime API is given too, so nothing else can ride along in its command. */
export function checkReplicaName(name: unknown, field = 'name'): void {
  if (typeof name !== 'string' || !REPLICA_NAME.test(name)) {
    throw new BalancerDescriptionError(field, 'a letter or digit then up to 62 letters, digits, "-", "_" or "."', name);
  }
}

/** One replica, alone: what adding one at runtime checks too. */
export function checkReplica(replica: Replica, field = 'replica'): void {
  checkReplicaName(replica?.name, `${field}.name`);
  if (replica.socket !== undefined) {
    if (typeof replica.socket !== 'string' || !replica.socket.startsWith('/') || /[\s"'\\#]/.test(replica.socket)) {
      throw new BalancerDescriptionError(`${field}.socket`, 'an absolute path without spaces, quotes, "\\" or "#"', replica.socket);
    }
    return;
  }
  if (typeof replica.host !== 'string' || net.isIP(replica.host) === 0) {
    throw new BalancerDescriptionError(`${field}.host`, 'an IPv4 or IPv6 literal (no host name: haproxy resolves one only at start)', replica.host);
  }
  checkPort(`${field}.port`, replica.port);
}

/** The description with every default filled in, or a BalancerDescriptionError for the first bad field. */
export function checkBalancerDescription(description: BalancerDescription): Required<Omit<BalancerDescription, 'requestHeaders'>> & Pick<BalancerDescription, 'requestHeaders'> & { timeouts: BalancerTimeouts } {
  checkPort('frontendPort', description.frontendPort);
  if (!(BALANCER_POLICIES as readonly string[]).includes(description.policy)) {
    throw new BalancerDescriptionError('policy', `one of ${BALANCER_POLICIES.join(', ')}`, description.policy);
  }
  if (!Array.isArray(description.replicas) || description.replicas.length === 0) {
    throw new BalancerDescriptionError('replicas', 'a list of at least one replica', description.replicas);
  }
  const names = new Set<string>();
  description.replicas.forEach((replica, index) => {
    checkReplica(replica, `replicas[${index}]`);
    if (names.has(replica.name)) throw new BalancerDescriptionError(`replicas[${index}].name`, 'a name no other replica has', replica.name);
    names.add(replica.name);
  });
  const servedByHeader = description.servedByHeader ?? DEFAULT_SERVED_BY_HEADER;
  if (typeof servedByHeader !== 'string' || !HEADER_NAME.test(servedByHeader)) {
    throw new BalancerDescriptionError('servedByHeader', 'an HTTP header name', servedByHeader);
  }
  for (const [name, value] of Object.entries(description.requestHeaders ?? {})) {
    if (!HEADER_NAME.test(name)) throw new BalancerDescriptionError(`requestHeaders`, 'HTTP header names', name);
    // Printable ASCII without quotes or backslashes: haproxy.cfg quotes the value, and nothing may end the line.
    if (typeof value !== 'string' || !/^[\x20-\x7e]*$/.test(value) || /["\\%]/.test(value)) {
      throw new BalancerDescriptionError(`requestHeaders.${name}`, 'printable ASCII without quotes, "\\" or "%"', value);
    }
  }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...description.timeouts };
  for (const [key, value] of Object.entries(timeouts)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new BalancerDescriptionError(`timeouts.${key}`, 'a whole number of milliseconds, at least 1', value);
    }
  }
  const socketPath = description.runtimeSocketPath;
  if (typeof socketPath !== 'string' || !socketPath.startsWith('/')) {
    throw new BalancerDescriptionError('runtimeSocketPath', 'an absolute path', socketPath);
  }
  if (Buffer.byteLength(socketPath) > MAX_RUNTIME_SOCKET_PATH_BYTES) {
    throw new BalancerDescriptionError(
      'runtimeSocketPath',
      `at most ${MAX_RUNTIME_SOCKET_PATH_BYTES} bytes (a unix socket's limit, less haproxy's temporary suffix); use a shorter run folder`,
      socketPath,
    );
  }
  if (/[\s"'\\#]/.test(socketPath)) {
    throw new BalancerDescriptionError('runtimeSocketPath', 'a path without spaces, quotes, "\\" or "#" (haproxy.cfg would split or cut it)', socketPath);
  }
  return { ...description, servedByHeader, timeouts };
}
