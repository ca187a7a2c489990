/**
 * Ports the harness hands to the processes it starts, chosen below the
 * kernel's ephemeral range. A port from `listen(0)` is an ephemeral one:
 * the very range the kernel draws from for the local end of every outgoing
 * connection, and a run makes thousands (flows, health checks, redis). Between
 * the harness closing its probe and the process binding the port, any of them
 * can take it, and the process dies at start with EADDRINUSE: seen as a
 * replica that would not start, on a busy machine, in a gate run. Below the
 * ephemeral range only listeners bind, and each port is still checked free by
 * binding it before it is handed out.
 *
 * Several processes choose at once (two test workers, the harness and the
 * runs it starts): each walks the range one port at a time from a random
 * start, so two of them meet only if their walks reach the same port within
 * the moment between its check and its bind.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Linux's default ephemeral range, where /proc does not say. */
const DEFAULT_EPHEMERAL = { low: 32768, high: 60999 };
/** Below these are the well-known and registered ports that services on a machine commonly hold. */
const LOWEST = 10_000;

/** The ports the harness may hand out: from LOWEST to just below the ephemeral range (or above it, if the range starts low). */
export function harnessPortRange(ephemeral: { low: number; high: number } = ephemeralRange()): { low: number; high: number } {
  if (ephemeral.low - 1 - LOWEST >= 1000) return { low: LOWEST, high: ephemeral.low - 1 };
  if (65535 - (ephemeral.high + 1) >= 1000) return { low: ephemeral.high + 1, high: 65535 };
  // An ephemeral range that covers nearly everything: no port is safe from it, so the widest range at all.
  return { low: 1024, high: 65535 };
}

/** The kernel's ephemeral range, from /proc/sys/net/ipv4/ip_local_port_range. */
export function ephemeralRange(text?: string): { low: number; high: number } {
  try {
    const [low, high] = (text ?? readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! >= 1 && high! <= 65535 && low! <= high!) return { low: low!, high: high! };
  } catch {
    // Not Linux, or /proc not mounted: the default.
  }
  return DEFAULT_EPHEMERAL;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const range = harnessPortRange();
const size = range.high - range.low + 1;
/** Where this process's walk is: a random start, so that processes choosing at once start apart. */
let next = Math.floor(Math.random() * size);

/** A port nobody listens on right now, below the ephemeral range: the harness's choice for a process it starts. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < size; tried++) {
    const port = range.low + (next % size);
    next = (next + 1) % size;
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 in ${range.low}–${range.high}`);
}
