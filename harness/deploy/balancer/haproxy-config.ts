/**
 * haproxy.cfg for a balancer description: one frontend on 127.0.0.1, one
 * backend of replicas, the policy, the served-by header, and the runtime
 * API. A pure function: the same description gives the same text.
 *
 * Every policy is written so that `add server` works at runtime: haproxy
 * 2.6 refuses a dynamic server in a backend whose algorithm is static, and
 * counts a hash as dynamic only with `hash-type consistent`.
 */
import {
  checkBalancerDescription,
  MCP_SESSION_HEADER,
  NO_REPLICA,
  STICKY_COOKIE_NAME,
  type BalancerDescription,
  type BalancerPolicy,
  type Replica,
} from './balancer-description.ts';

export const FRONTEND_NAME = 'mcp';
export const BACKEND_NAME = 'replicas';
/**
 * Seeds the cookie of a replica added at runtime (haproxy 2.6 takes no
 * `cookie` on `add server`, but hashes key, address and port into one when
 * the backend's dynamic cookies are re-enabled). Nothing is secret on a
 * loopback run; the key only has to stay the same for the run.
 */
export const DYNAMIC_COOKIE_KEY = 'oauth-state-repro';

/** host:port as haproxy reads it, in the config and in `add server`: an IPv6 literal in brackets. */
export function serverAddress(replica: Replica): string {
  if (replica.socket !== undefined) return `unix@${replica.socket}`;
  return replica.host.includes(':') ? `[${replica.host}]:${replica.port}` : `${replica.host}:${replica.port}`;
}

/** A `server` line; under sticky-cookie a replica from the start is its cookie's value. */
export function serverLine(replica: Replica, policy: BalancerPolicy): string {
  const cookie = policy === 'sticky-cookie' ? ` cookie ${replica.name}` : '';
  return `server ${replica.name} ${serverAddress(replica)}${cookie}`;
}

/** The backend lines that pick a replica. */
function policyLines(policy: BalancerPolicy): string[] {
  switch (policy) {
    case 'roundrobin':
      return ['balance roundrobin'];
    case 'source':
      return ['balance source', 'hash-type consistent'];
    case 'sticky-cookie':
      // insert: haproxy sets the cookie; indirect: the replica never sees it; nocache: no shared cache keeps one client's cookie for another.
      return ['balance roundrobin', `cookie ${STICKY_COOKIE_NAME} insert indirect nocache dynamic`, `dynamic-cookie-key ${DYNAMIC_COOKIE_KEY}`];
    case 'session-header-hash':
      // Without the header (an MCP client's first request, initialize, has none) haproxy falls back to round-robin.
      return [`balance hdr(${MCP_SESSION_HEADER})`, 'hash-type consistent'];
    case 'session-affinity':
      // A stick table keyed by the session id: stored from the response that carries a new id, looked up on every
      // request that sends one. Requests without one (the OAuth hops, initialize) go round. Sessions live a day in the
      // table, as long as any server here keeps one.
      return [
        'balance roundrobin',
        'stick-table type string len 128 size 100k expire 24h',
        `stick on req.hdr(${MCP_SESSION_HEADER})`,
        `stick store-response res.hdr(${MCP_SESSION_HEADER})`,
      ];
  }
}

export function haproxyConfig(input: BalancerDescription): string {
  const description = checkBalancerDescription(input);
  const { timeouts, servedByHeader } = description;
  const lines = [
    '# Written by the harness for one run; started with haproxy -W -db.',
    'global',
    // One thread: requests are balanced in the order they come, so round-robin alternates exactly; a loopback run needs no more.
    '  nbthread 1',
    // Logs on stderr, into the process's log file; httplog lines name the replica of each request.
    '  log stderr format raw local0 info',
    `  stats socket ${description.runtimeSocketPath} mode 600 level admin`,
    '  stats timeout 10s',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    '  option dontlognull',
    `  timeout connect ${timeouts.connectMs}ms`,
    `  timeout client ${timeouts.clientMs}ms`,
    `  timeout server ${timeouts.serverMs}ms`,
    `  timeout http-request ${timeouts.httpRequestMs}ms`,
    '',
    `frontend ${FRONTEND_NAME}`,
    `  bind 127.0.0.1:${description.frontendPort}`,
    `  default_backend ${BACKEND_NAME}`,
    ...Object.entries(description.requestHeaders ?? {}).map(([name, value]) => `  http-request set-header ${name} "${value}"`),
    // http-after-response, not http-response: it also runs on haproxy's own answers (502, 503, 504).
    `  http-after-response set-header ${servedByHeader} "%[srv_name]" if { srv_name -m found }`,
    `  http-after-response set-header ${servedByHeader} "${NO_REPLICA}" unless { srv_name -m found }`,
    '',
    `backend ${BACKEND_NAME}`,
    ...policyLines(description.policy).map((line) => `  ${line}`),
    ...description.replicas.map((replica) => `  ${serverLine(replica, description.policy)}`),
    '',
  ];
  return lines.join('\n');
}
