/**
 * Preload (NODE_OPTIONS=--import=<this file>) that keeps a target's
 * hard-coded provider hosts inside the run, without editing the target:
 *
 *   - https://auth.atlassian.com/... and https://api.atlassian.com/... are sent
 *     to the run's loopback mock (OAUTH_REPRO_MOCK_URL) at the same path and
 *     query, method, headers and body kept, and the mock's answer is handed
 *     back as if the real host had sent it. One mock per run, so a code issued
 *     to the tool process can be redeemed by the callback process.
 *   - loopback (127.0.0.1, ::1, localhost) passes untouched; requests to the
 *     mock's origin carry `x-oauth-repro-pid: <pid>`, the mock's evidence of
 *     which process redeemed a code.
 *   - anything else is refused with a network error that says why, on stderr
 *     and in the log: a target that talks to a host we did not plan for must be
 *     seen, not silently reach the internet.
 *
 * Seen: global fetch (FetchInterceptor) and node:http / node:https, hence
 * axios, got, node-fetch (ClientRequestInterceptor). Not seen by either:
 * undici's own `request()`/`fetch()` imported from the undici package,
 * node:http2, raw net/tls sockets. For those a socket-level guard refuses any
 * non-loopback connection, so such a request fails (loudly) instead of being
 * redirected, and never reaches a real Atlassian host.
 *
 * Environment:
 *   OAUTH_REPRO_MOCK_URL       the run's mock, e.g. http://127.0.0.1:PORT (loopback only)
 *   OAUTH_REPRO_PROVIDER_HOSTS the hosts of the provider the mock plays, comma-separated
 *                              (default auth.atlassian.com,api.atlassian.com; github.com,api.github.com for GitHub)
 *   OAUTH_REPRO_INTERCEPT_LOG  file to append one JSON line per decision:
 *                              {time, pid, method, url, action: redirected|refused|passed, to?, error?}
 *
 * Only node: imports, @mswjs/interceptors and a sibling file, resolved from this file's
 * folder: it runs before tsx and in whatever cwd the target uses.
 */
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { BatchInterceptor } from '@mswjs/interceptors';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { FetchInterceptor } from '@mswjs/interceptors/fetch';
import { DECODED_RESPONSE_HEADERS, HOP_HEADERS } from './hop-headers.mjs';

const LABEL = 'oauth-state-repro';
const REDIRECTED_HOSTS = new Set(
  (process.env.OAUTH_REPRO_PROVIDER_HOSTS || 'auth.atlassian.com,api.atlassian.com')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean),
);
const REDIRECTED_LIST = [...REDIRECTED_HOSTS].join(' and ');
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const PID_HEADER = 'x-oauth-repro-pid';
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const bareHost = (hostname) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
const isLoopback = (hostname) => LOOPBACK_HOSTS.has(bareHost(hostname));
const defaultPort = (protocol) => (protocol === 'https:' ? '443' : '80');

const logFile = process.env.OAUTH_REPRO_INTERCEPT_LOG;
const mock = parseMockUrl(process.env.OAUTH_REPRO_MOCK_URL);
// Captured before the interceptors patch it: the hop to the mock must not be intercepted again.
const pureFetch = globalThis.fetch;

/** The mock's URL, or why there is none: a non-loopback "mock" would be a way out of the sandbox. */
function parseMockUrl(raw) {
  if (!raw) return { url: undefined, problem: 'OAUTH_REPRO_MOCK_URL is not set' };
  let url;
  try {
    url = new URL(raw);
  } catch {
    return { url: undefined, problem: `OAUTH_REPRO_MOCK_URL ${JSON.stringify(raw)} is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { url: undefined, problem: `OAUTH_REPRO_MOCK_URL must be http(s), got ${url.protocol}` };
  if (!isLoopback(url.hostname)) return { url: undefined, problem: `OAUTH_REPRO_MOCK_URL must be a loopback URL, got host ${url.hostname}` };
  return { url, problem: undefined };
}

/** Any loopback name with the mock's scheme and port is the mock: 127.0.0.1, localhost and ::1 are one machine. */
function isMockOrigin(url) {
  if (!mock.url || !isLoopback(url.hostname) || url.protocol !== mock.url.protocol) return false;
  return (url.port || defaultPort(url.protocol)) === (mock.url.port || defaultPort(mock.url.protocol));
}

/** Wall-clock ms that a virtual-clock preload in the same process cannot skew. */
const realNow = () => Math.round(performance.timeOrigin + performance.now());

/**
 * One line per decision. The query is left out: GET callbacks and some token
 * clients put codes and secrets there, and this log is kept with the run.
 */
function record(entry) {
  if (!logFile) return;
  const line = JSON.stringify({ time: realNow(), pid: process.pid, ...entry });
  try {
    appendFileSync(logFile, `${line}\n`);
  } catch (error) {
    process.stderr.write(`${LABEL}: cannot append to OAUTH_REPRO_INTERCEPT_LOG ${logFile}: ${error.message}\n`);
  }
}

const withoutQuery = (url) => `${url.origin}${url.pathname}`;

/** A labelled network error, so a target's logs show whose refusal it was. */
function refusal(host, reason) {
  const error = new TypeError(`${LABEL}: outbound request to ${host} refused (${reason})`);
  error.code = 'ERR_OAUTH_REPRO_REFUSED';
  return error;
}

function refuse(controller, request, url, reason) {
  const error = refusal(url.host, reason);
  process.stderr.write(`${error.message}\n`);
  record({ method: request.method, url: withoutQuery(url), action: 'refused', error: error.message });
  controller.errorWith(error);
}

async function redirect(controller, request, url) {
  const to = new URL(`${mock.url.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`, mock.url.origin);
  const headers = new Headers(request.headers);
  for (const name of HOP_HEADERS) headers.delete(name);
  headers.set(PID_HEADER, String(process.pid));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    const answer = await pureFetch(to, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      // The caller decides whether to follow a redirect, as it would with the real host.
      redirect: 'manual',
    });
    const responseHeaders = new Headers(answer.headers);
    for (const name of DECODED_RESPONSE_HEADERS) responseHeaders.delete(name);
    const body = NULL_BODY_STATUSES.has(answer.status) || request.method === 'HEAD' ? null : await answer.arrayBuffer();
    record({ method: request.method, url: withoutQuery(url), action: 'redirected', to: withoutQuery(to) });
    controller.respondWith(new Response(body, { status: answer.status, statusText: answer.statusText, headers: responseHeaders }));
  } catch (cause) {
    const error = new TypeError(`${LABEL}: request to ${url.host} was redirected to the mock ${mock.url.origin}, which did not answer: ${cause?.cause?.message ?? cause?.message ?? cause}`);
    error.code = 'ERR_OAUTH_REPRO_MOCK_UNREACHABLE';
    process.stderr.write(`${error.message}\n`);
    record({ method: request.method, url: withoutQuery(url), action: 'redirected', to: withoutQuery(to), error: error.message });
    controller.errorWith(error);
  }
}

async function decide({ request, controller }) {
  const url = new URL(request.url);
  // data:, blob: and the like never touch the network.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
  const host = bareHost(url.hostname);
  if (REDIRECTED_HOSTS.has(host)) {
    if (!mock.url) return refuse(controller, request, url, `${mock.problem}: there is no mock to redirect it to`);
    return redirect(controller, request, url);
  }
  if (isLoopback(host)) {
    if (isMockOrigin(url)) request.headers.set(PID_HEADER, String(process.pid));
    record({ method: request.method, url: withoutQuery(url), action: 'passed' });
    return; // no decision taken: the interceptor performs the request as it was (with our header)
  }
  return refuse(controller, request, url, `only ${REDIRECTED_LIST} are redirected to the mock`);
}

/** Where a socket is going, from net.Socket#connect's many call shapes; undefined for a unix socket. */
function socketTarget(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return socketTarget(first);
  if (typeof first === 'object' && first !== null) return first.path ? undefined : { host: first.host ?? 'localhost', port: first.port };
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return { host: typeof second === 'string' ? second : 'localhost', port: first };
  return undefined;
}

/**
 * Backstop for clients the HTTP interceptors cannot see (see the header). The
 * failure is delivered as a socket error on the next tick, as a refused
 * connection would be, so the caller's own error handling runs.
 */
function guardSockets() {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = socketTarget(args);
    if (target === undefined || isLoopback(String(target.host))) return connect.apply(this, args);
    const error = refusal(String(target.host), `a raw connection the preload cannot redirect: only fetch and node:http(s) requests to ${REDIRECTED_LIST} are redirected to the mock`);
    process.stderr.write(`${error.message}\n`);
    record({ method: 'CONNECT', url: `tcp://${target.host}:${target.port}`, action: 'refused', error: error.message });
    process.nextTick(() => this.destroy(error));
    return this;
  };
}

const interceptor = new BatchInterceptor({
  name: 'oauth-state-repro-provider-intercept',
  interceptors: [new ClientRequestInterceptor(), new FetchInterceptor()],
});
interceptor.on('request', decide);
interceptor.apply();
guardSockets();
// `import { request } from 'node:https'` binds to the ESM facade: bring it up to date with the patches.
syncBuiltinESMExports();
if (mock.problem) process.stderr.write(`${LABEL}: ${mock.problem}; requests to ${REDIRECTED_LIST} will be refused\n`);
