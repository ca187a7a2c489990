/** The guard every test file runs under: a non-loopback connection is refused before a packet leaves; loopback passes. */
import net from 'node:net';
import { expect, test } from 'vitest';

test('a connection to a non-loopback host throws, naming the host', () => {
  expect(() => net.connect({ host: '192.0.2.1', port: 443 })).toThrow('Real network is disabled in tests: refused a connection to "192.0.2.1"');
});

test('loopback passes the guard', async () => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
