/**
 * Every test file runs with real network off: a socket may connect to the
 * loopback interface (the real processes of the end-to-end tests, the mock
 * Atlassian server) and nowhere else. A test that would reach
 * auth.atlassian.com by mistake fails loudly instead of passing or hanging.
 */
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
// Test files share a worker process (vitest isolate: false), and this file runs before each: wrap once.
const WRAPPED = Symbol.for('oauth-state-repro.no-external-network');
const originalConnect = net.Socket.prototype.connect;
const alreadyWrapped = WRAPPED in originalConnect;

function targetHost(args: unknown[]): string | undefined {
  const first = args[0];
  if (Array.isArray(first)) return targetHost(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    if (options.path) return undefined; // unix socket: local by definition
    return options.host ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined; // a string first argument is a unix socket path
}

if (!alreadyWrapped) net.Socket.prototype.connect = Object.assign(function connect(this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (host !== undefined && !LOOPBACK.has(host)) {
    throw new Error(`Real network is disabled in tests: refused a connection to "${host}"`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
}, { [WRAPPED]: true }) as typeof net.Socket.prototype.connect;
