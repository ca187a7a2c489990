/**
 * Runs inside a replica's network namespace: a unix socket (a file, so
 * reachable from every namespace) whose connections are piped to
 * 127.0.0.1:PORT of this namespace. A balancer in the harness's namespace
 * reaches each replica through its sockets, while every replica listens on
 * the same ports it names in its public URLs. Announces readiness with the
 * usual JSON line; exits when stdin closes.
 *
 * usage: node unix-socket-bridge.mjs SOCKET_PATH PORT
 */
import net from 'node:net';

const [socketPath, portText] = process.argv.slice(2);
const port = Number(portText);
if (!socketPath || !Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`usage: unix-socket-bridge.mjs SOCKET_PATH PORT (got ${JSON.stringify(process.argv.slice(2))})`);
  process.exit(2);
}

const server = net.createServer((client) => {
  const upstream = net.connect(port, '127.0.0.1');
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end).on('close', end);
  upstream.on('error', end).on('close', end);
  client.pipe(upstream).pipe(client);
});
server.on('error', (error) => {
  console.error(`unix-socket-bridge: ${error.message}`);
  process.exit(1);
});
server.listen(socketPath, () => console.log(JSON.stringify({ ready: 'unix-socket-bridge', url: `unix:${socketPath}`, pid: process.pid })));
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
