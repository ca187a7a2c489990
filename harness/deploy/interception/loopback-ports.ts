/**
 * The harness's loopback ports a process's variables name (a URL or
 * host:port on 127.0.0.1, localhost or [::1]): what the relay of its host's
 * network namespace must carry out for it, besides the mock and redis.
 */
const LOOPBACK_PORT = /(?:^|[^\w.-])(?:127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})(?!\d)/g;

export function loopbackPorts(values: Iterable<string>): number[] {
  const ports = new Set<number>();
  for (const value of values) {
    for (const match of value.matchAll(LOOPBACK_PORT)) {
      const port = Number(match[1]);
      if (port > 0 && port < 65536) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
