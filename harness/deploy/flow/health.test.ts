import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { health } from './health.ts';

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.closeAllConnections() ?? s.close(resolve))));
});

describe('health', () => {
  it('asks the path the target file names, not /health', async () => {
    const asked: string[] = [];
    const base = await serve((req, res) => {
      asked.push(req.url ?? '');
      res.statusCode = req.url === '/livez' ? 200 : 404;
      res.end();
    });
    expect(await health(base, '/livez')).toBe(true);
    expect(asked).toEqual(['/livez']);
  });

  it('has no endpoint when the target file says none (null) or the path is 404', async () => {
    const base = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    expect(await health(base, null)).toBe('no-endpoint');
    expect(await health(base, '/health')).toBe('no-endpoint');
  });

  it('a process slower than the first wait (a busy machine) is still alive', async () => {
    let first = true;
    const base = await serve((_req, res) => {
      // The first answer comes after the first 2 s wait has run out; the second question gets it at once.
      if (first) {
        first = false;
        setTimeout(() => res.end('late'), 2500).unref();
        return;
      }
      res.end('ok');
    });
    expect(await health(base, '/slow')).toBe(true);
  });

  it('a refused connection is down at once', async () => {
    const base = await serve((_req, res) => res.end());
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const started = performance.now();
    expect(await health(base, '/health')).toBe(false);
    expect(performance.now() - started).toBeLessThan(1900);
  });
});
