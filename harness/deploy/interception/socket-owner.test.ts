/**
 * Reading who holds a loopback connection from /proc: the address formats
 * of /proc/net/tcp and tcp6 (host byte order, IPv4-mapped IPv6), the line
 * that matches a client and a server port, and the owner of a real
 * connection made in this process (it must be this process).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { inodeOf, parseProcAddress, socketOwner } from './socket-owner.mjs';

describe('parseProcAddress', () => {
  it('reads IPv4 in host byte order, IPv6, and IPv4-mapped IPv6 as IPv4', () => {
    expect(parseProcAddress('0100007F:1F90')).toEqual({ address: '127.0.0.1', port: 8080 });
    expect(parseProcAddress('36E9BF7F:01BB')).toEqual({ address: '127.191.233.54', port: 443 });
    expect(parseProcAddress('00000000000000000000000001000000:0050')).toEqual({ address: '0:0:0:0:0:0:0:1', port: 80 });
    expect(parseProcAddress('0000000000000000FFFF00000100007F:0050')).toEqual({ address: '127.0.0.1', port: 80 });
  });
});

describe('inodeOf', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 36E9BF7F:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0',
    '   1: 0100007F:D431 36E9BF7F:01BB 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1',
    '   2: 36E9BF7F:01BB 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 -1',
  ].join('\n');

  it("finds the client's end (local = the client, remote = the server's port), not the server's", () => {
    expect(inodeOf(table, { address: '127.0.0.1', port: 0xd431 }, 443)).toBe('222');
    expect(inodeOf(table, { address: '::ffff:127.0.0.1', port: 0xd431 }, 443)).toBe('222');
    expect(inodeOf(table, { address: '127.0.0.1', port: 1 }, 443)).toBeUndefined();
  });
});

describe('socketOwner', () => {
  it('names this process as the owner of a connection it made', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect(port, '127.0.0.1');
    const socket = await accepted;
    try {
      expect(socketOwner({ address: socket.remoteAddress!, port: socket.remotePort! }, port)).toBe(process.pid);
      expect(socketOwner({ address: '127.0.0.1', port: 1 }, port)).toBeUndefined();
    } finally {
      client.destroy();
      socket.destroy();
      server.close();
    }
  });
});
