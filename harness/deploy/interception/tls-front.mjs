/**
 * The TLS front of the run's provider mock, for servers that are not Node:
 * an HTTPS server on a loopback address of its own, port 443, with a
 * certificate the run's CA signed for the provider's hosts. A target's
 * process resolves those hosts to this address (its mount namespace's
 * /etc/hosts) and trusts only that CA, so its requests to
 * https://<provider host>/... arrive here; each is forwarded to the mock at
 * the same path (method, headers and body kept, the host named in
 * x-forwarded-host), answered with the mock's answer, and logged. A TLS
 * client that names any other host is refused and logged: nothing leaves
 * the machine.
 *
 * Where no namespace can be made (no /etc/hosts of the target's own), the
 * same front serves as an HTTPS proxy instead (MODE proxy): it listens on an
 * ephemeral port of ADDRESS, and a client told HTTPS_PROXY sends CONNECT
 * host:443; a provider host's tunnel is answered by this server's TLS (the
 * run's certificate), any other is refused with 403 and logged.
 *
 * Where each host of the target has a network namespace of its own (loopback
 * only), its processes cannot reach ADDRESS: the relay inside each
 * namespace (netns-relay.mjs) listens there in the front's place and hands
 * each connection to RELAY_SOCKET, a Unix socket (a path, seen from every
 * namespace), after one line with the pid of the process that connected;
 * the front takes the rest as it takes a direct client, and logs that pid.
 *
 * argv: ADDRESS CERT_FILE KEY_FILE MOCK_URL LOG_FILE HOSTS (comma-separated) [MODE: front (default) | proxy] [RELAY_SOCKET].
 * stdout: one line {"ready":"tls-front","url":"https://ADDRESS:443","pid":PID} once listening (proxy: "http://ADDRESS:PORT").
 * One JSON line per decision in LOG_FILE: {time, pid, via?, method, url, action: redirected|refused, to?, status?, error?}
 * (via: "netns-relay" when the client reached the front from a host's network namespace),
 * the Node preload's format; the url without its query (it carries codes).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { DECODED_RESPONSE_HEADERS, HOP_HEADERS } from '../preload/hop-headers.mjs';
import { readPreamble } from './relay-stream.mjs';
import { socketOwner } from './socket-owner.mjs';

const [address, certFile, keyFile, mockUrl, logFile, hostList, mode = 'front', relaySocket] = process.argv.slice(2);
if (!address || !certFile || !keyFile || !mockUrl || !logFile || !hostList) {
  process.stderr.write('usage: tls-front.mjs ADDRESS CERT_FILE KEY_FILE MOCK_URL LOG_FILE HOSTS\n');
  process.exit(2);
}
const hosts = new Set(hostList.split(',').map((host) => host.toLowerCase()));
const mock = new URL(mockUrl);
/** The port clients connect to: 443 for the front; the proxy's own, once it listens. */
let PORT = 443;
const HOP = new Set(HOP_HEADERS);
const DECODED = new Set(DECODED_RESPONSE_HEADERS);

/** The raw sockets a namespace's relay handed over, with the pid its preamble named. */
const relayedPids = new WeakMap();

/**
 * Who is on the other end of a TLS socket: the pid a relay named for it, or
 * the loopback client read from /proc. (`_parent` is the raw socket a TLS
 * socket wraps: Node keeps no public name for it.)
 */
function clientOf(tlsSocket) {
  const raw = tlsSocket._parent;
  if (raw && relayedPids.has(raw)) return { pid: relayedPids.get(raw), via: 'netns-relay' };
  return { pid: socketOwner({ address: tlsSocket.remoteAddress ?? '', port: tlsSocket.remotePort ?? 0 }, PORT) };
}

function log(entry) {
  try {
    appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  } catch (error) {
    process.stderr.write(`tls-front: could not log: ${error.message}\n`);
  }
}

const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, async (req, res) => {
  const host = (req.headers.host ?? '').replace(/:443$/, '').toLowerCase();
  const { pid, via } = clientOf(req.socket);
  const path = req.url ?? '/';
  const shownUrl = `https://${host}${path.split('?')[0]}${path.includes('?') ? '?…' : ''}`;
  if (!hosts.has(host)) {
    log({ pid, ...(via ? { via } : {}), method: req.method, url: shownUrl, action: 'refused', error: `${host} is not a provider host of this run` });
    res.writeHead(421, { 'content-type': 'text/plain' }).end(`oauth-state-repro: ${host} is not a provider host of this run\n`);
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  headers['x-forwarded-host'] = host;
  headers['x-forwarded-proto'] = 'https';
  if (pid !== undefined) headers['x-oauth-repro-pid'] = String(pid);
  const target = new URL(path, mock);
  try {
    const answer = await fetch(target, { method: req.method, headers, body: chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined, redirect: 'manual' });
    const body = Buffer.from(await answer.arrayBuffer());
    const out = {};
    answer.headers.forEach((value, name) => {
      if (!DECODED.has(name) && name !== 'set-cookie') out[name] = value;
    });
    const cookies = answer.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    out['content-length'] = String(body.length);
    res.writeHead(answer.status, out).end(body);
    log({ pid, ...(via ? { via } : {}), method: req.method, url: shownUrl, action: 'redirected', to: `${mock.origin}${target.pathname}`, status: answer.status });
  } catch (error) {
    log({ pid, ...(via ? { via } : {}), method: req.method, url: shownUrl, action: 'redirected', to: `${mock.origin}${target.pathname}`, error: error.message });
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`oauth-state-repro: the mock did not answer: ${error.message}\n`);
  }
});

// A client that names a host the certificate does not cover fails its handshake: say which, and who.
server.on('tlsClientError', (error, socket) => {
  log({ ...clientOf(socket), method: 'CONNECT', url: `https://${socket.servername ?? '?'}/`, action: 'refused', error: error.message });
});
server.on('secureConnection', (socket) => {
  const name = (socket.servername || '').toLowerCase();
  if (name && !hosts.has(name)) {
    log({ ...clientOf(socket), method: 'CONNECT', url: `https://${name}/`, action: 'refused', error: `${name} is not a provider host of this run` });
    socket.destroy();
  }
});
server.on('error', (error) => {
  process.stderr.write(`tls-front: ${error.message}\n`);
  process.exit(1);
});
if (mode === 'proxy') {
  const proxy = http.createServer((req, res) => {
    // Plain-HTTP proxying is not offered: the provider is reached over TLS only.
    log({ method: req.method, url: req.url ?? '', action: 'refused', error: 'not a CONNECT to a provider host' });
    res.writeHead(403, { 'content-type': 'text/plain' }).end('oauth-state-repro: only CONNECT to a provider host\n');
  });
  proxy.on('connect', (req, socket, head) => {
    const [host = '', port = ''] = (req.url ?? '').toLowerCase().split(':');
    const pid = socketOwner({ address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }, PORT);
    if (!hosts.has(host) || port !== '443') {
      log({ pid, method: 'CONNECT', url: `https://${req.url}/`, action: 'refused', error: `${host} is not a provider host of this run` });
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
      if (head.length) socket.unshift(head);
      // The tunnel's bytes are the client's TLS: this process's HTTPS server answers them as the provider host.
      server.emit('connection', socket);
    });
  });
  proxy.on('error', (error) => {
    process.stderr.write(`tls-front: ${error.message}\n`);
    process.exit(1);
  });
  proxy.listen(0, address, () => {
    PORT = proxy.address().port;
    process.stdout.write(`${JSON.stringify({ ready: 'tls-front', url: `http://${address}:${PORT}`, pid: process.pid })}\n`);
  });
} else {
  const ready = () => process.stdout.write(`${JSON.stringify({ ready: 'tls-front', url: `https://${address}:${PORT}`, pid: process.pid })}\n`);
  server.listen(PORT, address, () => {
    if (!relaySocket) return ready();
    const relayed = net.createServer(async (socket) => {
      socket.on('error', () => undefined);
      try {
        const pid = Number.parseInt(await readPreamble(socket), 10);
        if (Number.isInteger(pid)) relayedPids.set(socket, pid);
      } catch (error) {
        process.stderr.write(`tls-front: a relayed connection without its preamble: ${error.message}\n`);
        socket.destroy();
        return;
      }
      // The rest is the client's TLS, as if it had connected here.
      server.emit('connection', socket);
    });
    relayed.on('error', (error) => {
      process.stderr.write(`tls-front: ${relaySocket}: ${error.message}\n`);
      process.exit(1);
    });
    relayed.listen(relaySocket, ready);
  });
}
// Its parent gone (stdin closed), it goes too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
