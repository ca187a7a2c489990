/**
 * The relay inside one simulated host's network namespace, where only
 * loopback exists: the one way the host's processes reach the harness's
 * services and the harness reaches theirs. Unix sockets name a file, not an
 * address, so they cross namespaces: each relayed connection goes through
 * one, starting with a preamble line.
 *
 * - outbound: it listens on 127.0.0.1:P (and ::1:P) inside for each of the
 *   harness's ports the host's processes may use (the mock, redis, a
 *   loopback port their variables name); a connection goes to OUT_SOCKET
 *   with "P\n", whose harness side connects the machine's 127.0.0.1:P;
 * - the provider's hosts: it listens on the TLS front's address, port 443,
 *   inside (what /etc/hosts maps those hosts to); a connection goes to the
 *   front's own Unix socket with "PID\n", the pid of the process that
 *   connected (read from this namespace's /proc/net/tcp), so the front logs
 *   it as it logs a direct client;
 * - inbound: IN_SOCKET takes "PORT\n" and joins the namespace's
 *   127.0.0.1:PORT (::1:PORT if nothing listens there): the harness's side
 *   of a callback port.
 *
 * A process of the host waits, before it enters the namespace, on a gate (a
 * FIFO that blocks a reader until a writer holds it): the relay opens each
 * gate it is given, and keeps it open, once the ports that process needs
 * are listening, so no process runs before its way out is in place. A gate
 * whose ports could not be listened on gets GATE.error beside it first.
 *
 * argv: one JSON object {outSocket, inSocket, ports: number[], gate, front?: {address, socket}}.
 * stdin: JSON lines {listen: number[], gate}: more ports, then that gate. Its end: the relay exits.
 * stdout: {"ready":"netns-relay","pid":PID,"netns":"net:[…]"} once the first gate is open; {"gate":PATH} for each later one.
 */
import { openSync, readlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { readPreamble, splice } from './relay-stream.mjs';
import { socketOwner } from './socket-owner.mjs';

const config = JSON.parse(process.argv[2] ?? 'null');
if (!config?.outSocket || !config?.inSocket || !Array.isArray(config.ports) || !config.gate) {
  process.stderr.write('usage: netns-relay.mjs \'{"outSocket":…,"inSocket":…,"ports":[…],"gate":…,"front":{"address":…,"socket":…}}\'\n');
  process.exit(2);
}

const say = (line) => process.stderr.write(`netns-relay: ${line}\n`);
const listening = new Set();
/** Held open for the relay's life: a gate with a writer lets every reader through at once. */
const heldGates = [];

function listen(server, where) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function toHarness(port) {
  return (client) => {
    const upstream = net.connect({ path: config.outSocket, allowHalfOpen: true });
    upstream.write(`${port}\n`);
    splice(client, upstream);
    upstream.on('error', (error) => say(`127.0.0.1:${port}: the harness side did not take it: ${error.message}`));
  };
}

async function listenOutbound(port) {
  if (listening.has(port)) return;
  await listen(net.createServer({ allowHalfOpen: true }, toHarness(port)), { port, host: '127.0.0.1' });
  // A client that tries ::1 first finds the same port there; where IPv6 is off, 127.0.0.1 alone.
  await listen(net.createServer({ allowHalfOpen: true }, toHarness(port)), { port, host: '::1' }).catch((error) => say(`::1:${port} not listened on: ${error.message}`));
  listening.add(port);
}

async function listenFront({ address, socket }) {
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    // Read now, while the client's socket is still in this namespace's table.
    const pid = socketOwner({ address: client.remoteAddress ?? '', port: client.remotePort ?? 0 }, 443);
    const upstream = net.connect({ path: socket, allowHalfOpen: true });
    upstream.write(`${pid ?? ''}\n`);
    splice(client, upstream);
    upstream.on('error', (error) => say(`the TLS front did not take a connection: ${error.message}`));
  });
  await listen(server, { port: 443, host: address });
}

/** Joins the namespace's PORT on 127.0.0.1, or on ::1 where only that listens. */
function connectInside(port) {
  return new Promise((resolve, reject) => {
    const attempt = (hosts) => {
      const socket = net.connect({ port, host: hosts[0], allowHalfOpen: true });
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(socket);
      });
      const onError = (error) => (hosts.length > 1 ? attempt(hosts.slice(1)) : reject(error));
      socket.once('error', onError);
    };
    attempt(['127.0.0.1', '::1']);
  });
}

const inbound = net.createServer({ allowHalfOpen: true }, async (outside) => {
  outside.on('error', () => undefined);
  try {
    const port = Number(await readPreamble(outside));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('no port in its preamble');
    splice(outside, await connectInside(port));
  } catch (error) {
    say(`inbound connection not joined: ${error.message}`);
    outside.destroy();
  }
});

/** Lets through every process waiting on `gate`; with GATE.error first when `failure` says why their ports are not there. */
function openGate(gate, failure) {
  if (failure) {
    try {
      writeFileSync(`${gate}.error`, `netns-relay: ${failure}\n`);
    } catch (error) {
      say(`could not write ${gate}.error: ${error.message}`);
    }
  }
  try {
    // Read and write: opening a FIFO so never blocks, and counts as the writer its readers wait for.
    heldGates.push(openSync(gate, 'r+'));
  } catch (error) {
    say(`could not open the gate ${gate}: ${error.message}`);
  }
}

async function listenAll(ports) {
  for (const port of ports) await listenOutbound(port);
}

let failure;
try {
  await listen(inbound, { path: config.inSocket });
  if (config.front) await listenFront(config.front);
  await listenAll(config.ports);
} catch (error) {
  failure = error.message;
}
openGate(config.gate, failure);
if (failure) {
  say(failure);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ ready: 'netns-relay', pid: process.pid, netns: readlinkSync('/proc/self/ns/net') })}\n`);

/** One request for more ports at a time, in order: each listened on, then its gate opened (with the failure, if one could not be). */
let queue = Promise.resolve();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\n')) !== -1) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    if (line.trim()) void more(line);
  }
});
// Its parent gone (stdin closed), it goes too; the namespace goes with its last process.
process.stdin.on('end', () => process.exit(0));

function more(line) {
  queue = queue.then(async () => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      say(`not a JSON line: ${line}`);
      return;
    }
    let why;
    try {
      await listenAll(request.listen ?? []);
    } catch (error) {
      why = `a port the process needs could not be listened on inside its host: ${error.message}`;
      say(why);
    }
    openGate(request.gate, why);
    process.stdout.write(`${JSON.stringify({ gate: request.gate })}\n`);
  });
  return queue;
}
