/**
 * Two replicas of the SDK's example server, each in a network namespace of
 * its own, listen on the very same ports (the ones their public URLs name)
 * and keep their state apart: each is reached through its own unix socket,
 * as a balancer in the harness's namespace would reach it.
 */
import http from 'node:http';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllChildren } from '../process/child-process.ts';
import { freePort } from '../process/free-port.ts';
import { networkNamespacesUnavailable, type NamespacedReplica } from './namespaced-replica.ts';
import { startSdkExampleReplica } from './test-fixtures/sdk-example-server.ts';

const unavailable = networkNamespacesUnavailable();
const dir = mkdtempSync(path.join(os.tmpdir(), 'nsr-'));
let mcpPort: number;
let authPort: number;
let a: NamespacedReplica;
let b: NamespacedReplica;

beforeAll(async () => {
  if (unavailable) return;
  [mcpPort, authPort] = [await freePort(), await freePort()];
  const start = (name: string) => startSdkExampleReplica({ name, logDir: dir, socketDir: dir, mcpPort, authPort });
  [a, b] = await Promise.all([start('a'), start('b')]);
});
afterAll(async () => {
  await stopAllChildren({ graceMs: 500 });
  rmSync(dir, { recursive: true, force: true });
});

/** One HTTP request through a unix socket, with the Host a client of the public URL would send. */
function request(socketPath: string, port: number, method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = http.request({ socketPath, method, path: pathAndQuery, headers: { host: `localhost:${port}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

describe.skipIf(unavailable !== undefined)(`replicas in network namespaces of their own${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('both listen on the same ports and name the same public URLs', async () => {
    for (const replica of [a, b]) {
      const metadata = await request(replica.sockets.get(mcpPort)!, mcpPort, 'GET', '/.well-known/oauth-protected-resource/mcp');
      expect(metadata.status).toBe(200);
      expect(JSON.parse(metadata.text)).toMatchObject({ resource: `http://localhost:${mcpPort}/mcp`, authorization_servers: [`http://localhost:${authPort}/`] });
    }
    expect(a.server.pid).not.toBe(b.server.pid);
  });

  it('keep their state apart: a client registered on a is unknown on b', async () => {
    const registered = await request(a.sockets.get(authPort)!, authPort, 'POST', '/register', { redirect_uris: ['http://127.0.0.1:9/callback'], token_endpoint_auth_method: 'none' });
    expect(registered.status).toBe(201);
    const clientId = (JSON.parse(registered.text) as { client_id: string }).client_id;
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: 'http://127.0.0.1:9/callback', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    expect((await request(a.sockets.get(authPort)!, authPort, 'GET', `/authorize?${query}`)).status).toBe(302);
    expect(await request(b.sockets.get(authPort)!, authPort, 'GET', `/authorize?${query}`)).toEqual({ status: 400, text: '{"error":"invalid_client","error_description":"Invalid client_id"}' });
  });

  it('a stopped replica leaves no process and no socket behind', async () => {
    const pids = a.children.map((child) => child.pid);
    await a.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    for (const socket of a.sockets.values()) expect(existsSync(socket)).toBe(false);
  });
});
