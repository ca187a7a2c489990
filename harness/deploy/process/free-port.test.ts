import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralRange, freePort, harnessPortRange } from './free-port.ts';

const listen = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('the ports the harness hands out', () => {
  it("are below the kernel's ephemeral range, where outgoing connections never take them", () => {
    expect(harnessPortRange({ low: 32768, high: 60999 })).toEqual({ low: 10_000, high: 32767 });
    // A range that starts low leaves room only above it.
    expect(harnessPortRange({ low: 1024, high: 49151 })).toEqual({ low: 49152, high: 65535 });
    expect(harnessPortRange({ low: 1024, high: 65535 })).toEqual({ low: 1024, high: 65535 });
  });

  it('reads the range from /proc, and falls back to Linux\'s default on anything else', () => {
    expect(ephemeralRange('32768\t60999\n')).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralRange('40000 50000')).toEqual({ low: 40000, high: 50000 });
    expect(ephemeralRange('nonsense')).toEqual({ low: 32768, high: 60999 });
    expect(ephemeralRange('60000 1000')).toEqual({ low: 32768, high: 60999 });
  });

  it('are free when handed out, never the same twice in a row, and a port someone holds is skipped', async () => {
    const range = harnessPortRange(ephemeralRange());
    const first = await freePort();
    expect(first).toBeGreaterThanOrEqual(range.low);
    expect(first).toBeLessThanOrEqual(range.high);
    // The walk goes on one port at a time: hold the next one, and it is passed over.
    const held = first + 1 <= range.high ? first + 1 : range.low;
    const holder = await listen(held).catch(() => undefined);
    try {
      const second = await freePort();
      expect(second).not.toBe(first);
      if (holder) expect(second).not.toBe(held);
      const server = await listen(second);
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
    }
  });
});
