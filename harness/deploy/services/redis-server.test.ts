/**
 * The harness's redis-server: a real process from Debian's package, ready
 * when it says so, on a loopback port of its own, retried once when the port
 * was taken in between, and gone (process and folder) after stop(), or
 * after the harness that started it is killed.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimedTemporaryFolders } from '../../core/temporary-folders.ts';
import { findExecutable } from '../process/find-executable.ts';
import { freePort } from '../process/free-port.ts';
import { REDIS_INSTALL_HINT, RedisServer, redisServerAvailable } from './redis-server.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { processEnded } from '../../../test/support/process-ended.ts';

let logDir: string;
const servers: RedisServer[] = [];
const blockers: net.Server[] = [];

beforeAll(() => {
  // Loud, not skipped: CI installs the package, so a missing binary is a broken machine.
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
  logDir = mkdtempSync(path.join(os.tmpdir(), 'redis-server-test-'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const blocker of blockers.splice(0)) await new Promise((resolve) => blocker.close(resolve));
});
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}


function expectGone(pid: number): void {
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
}

describe('redis-server for the harness', () => {
  it('says whether redis-server is installed, without running it', () => {
    expect(redisServerAvailable()).toBe(true);
    expect(findExecutable('redis-server')).toMatch(/\/redis-server$/);
    expect(redisServerAvailable('no-such-redis-server-binary')).toBe(false);
    expect(findExecutable('redis-server', '/nonexistent-dir')).toBeUndefined();
  });

  it('starts on a loopback port with its own folder, answers PING, and leaves nothing after stop', async () => {
    const server = await RedisServer.start({ logDir, name: 'redis-start-test' });
    servers.push(server);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await ping(server.url)).toBe('PONG');
    expect(existsSync(server.dir)).toBe(true);
    expect(claimedTemporaryFolders()).toContain(server.dir);
    expect(existsSync(path.join(logDir, 'redis-start-test.log'))).toBe(true);
    await server.stop();
    await server.stop();
    expectGone(server.pid);
    expect(existsSync(server.dir)).toBe(false);
    expect(claimedTemporaryFolders()).not.toContain(server.dir);
    // No persistence: nothing was written to its folder before it went.
    expect(server.child.stdout.lines.some((line) => /DB saved|Saving/.test(line))).toBe(false);
  });

  it('retries once on a new port when the chosen one is taken before redis binds it', async () => {
    const blocker = net.createServer();
    blockers.push(blocker);
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    const offered: number[] = [];
    const server = await RedisServer.start({
      logDir,
      name: 'redis-retry-test',
      pickPort: async () => {
        const port = offered.length === 0 ? taken : await freePort();
        offered.push(port);
        return port;
      },
    });
    servers.push(server);
    expect(offered).toHaveLength(2);
    expect(server.port).toBe(offered[1]);
    expect(await ping(server.url)).toBe('PONG');
  });

  it('gives up with redis output after the retry also fails', async () => {
    const blocker = net.createServer();
    blockers.push(blocker);
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    await expect(RedisServer.start({ logDir, name: 'redis-fail-test', pickPort: async () => taken })).rejects.toThrow(
      new RegExp(`redis-server did not start on 127.0.0.1:${taken} \\(attempt 2\\)[\\s\\S]*Address already in use`),
    );
  });

  // Regression: an interrupted run left an empty /tmp/redis-server-* behind.
  it('a harness killed with SIGKILL leaves neither redis nor its folder: the orphan reaper ends one, then removes the other', { timeout: 40_000 }, async () => {
    const fixture = fileURLToPath(new URL('./test-fixtures/harness-with-redis.ts', import.meta.url));
    const harness = execa(process.execPath, ['--import', 'tsx', fixture, logDir], { reject: false, buffer: false });
    const started = await new Promise<{ redis: number; reaper: number; folder: string }>((resolve, reject) => {
      let text = '';
      harness.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /redis (\d+) reaper (\d+) folder (\S+)/.exec(text);
        if (match) resolve({ redis: Number(match[1]), reaper: Number(match[2]), folder: match[3]! });
      });
      void harness.then((result) => reject(new Error(`the harness exited early (${result.exitCode}): ${text}`)));
    });
    expect(existsSync(started.folder)).toBe(true);
    harness.kill('SIGKILL');
    await harness;
    // The reaper exits when it is done: that is the event to wait for, polled with a deadline. Ended counts a
    // zombie: an orphan here stays one (kill(pid, 0) succeeds) until init reaps it, a second or two later.
    expect(await eventually(() => processEnded(started.reaper), 30_000)).toBe(true);
    expect(await eventually(() => processEnded(started.redis), 15_000)).toBe(true);
    const left = existsSync(started.folder);
    if (left) rmSync(started.folder, { recursive: true, force: true });
    expect(left).toBe(false);
  });
});
