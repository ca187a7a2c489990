/**
 * Which process holds the other end of a loopback TCP connection: the pid
 * of the client that connected from `clientAddress:clientPort` to
 * `serverPort`, read from /proc (the connection's socket inode in
 * /proc/net/tcp or tcp6, then the process with that inode among its open
 * files). The TLS front tells the mock who redeemed a code with it, as the
 * Node preload does with its own pid. Undefined when it cannot be read
 * (not Linux, not permitted, the client already gone): evidence, never a
 * condition.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** "0100007F:1F90" → { address: '127.0.0.1', port: 8080 } for IPv4; IPv6 and IPv4-mapped IPv6 too. */
export function parseProcAddress(hex) {
  const [addressHex, portHex] = hex.split(':');
  const port = Number.parseInt(portHex, 16);
  if (addressHex.length === 8) return { address: ipv4(addressHex), port };
  // Four 32-bit words, each in host (little-endian) byte order.
  const words = addressHex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse());
  if (bytes.slice(0, 10).every((b) => b === '00') && bytes[10] === 'FF' && bytes[11] === 'FF') return { address: bytes.slice(12).map((b) => Number.parseInt(b, 16)).join('.'), port };
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(Number.parseInt(bytes[i] + bytes[i + 1], 16).toString(16));
  return { address: groups.join(':'), port };
}

function ipv4(hex) {
  return (hex.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)).join('.');
}

/** The inode of the socket whose local end is client:port and remote end is serverPort, from the text of /proc/net/tcp(6). */
export function inodeOf(procNetTcp, client, serverPort) {
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = parseProcAddress(fields[1]);
    const remote = parseProcAddress(fields[2]);
    if (local.port === client.port && remote.port === serverPort && sameAddress(local.address, client.address)) return fields[9];
  }
  return undefined;
}

const sameAddress = (a, b) => a === b.replace(/^::ffff:/, '');

export function socketOwner(client, serverPort) {
  try {
    const table = ['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFileSync(file, 'utf8')).join('\n');
    const inode = inodeOf(table, client, serverPort);
    if (!inode || inode === '0') return undefined;
    const wanted = `socket:[${inode}]`;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let fds;
      try {
        fds = readdirSync(`/proc/${entry}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          if (readlinkSync(`/proc/${entry}/fd/${fd}`) === wanted) return Number(entry);
        } catch {
          // The file closed while we looked.
        }
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
