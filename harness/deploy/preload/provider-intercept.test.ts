/**
 * The provider-intercept preload in real child processes (loaded through
 * NODE_OPTIONS, as a run loads it), against a loopback server standing in for
 * the mock: what is redirected arrives intact, what is refused says so, and
 * every decision is in the log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { spawnChild } from '../process/child-process.ts';
import { nodeOptionsImporting } from './preloads.ts';

const PRELOAD = fileURLToPath(new URL('./provider-intercept.mjs', import.meta.url));
const CLIENT = path.join(import.meta.dirname, 'test-fixtures', 'intercept-client.mjs');
const REFUSAL = /^oauth-state-repro: outbound request to example\.com refused \(only auth\.atlassian\.com and api\.atlassian\.com are redirected to the mock\)$/;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Outcome {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  url?: string;
  error?: { message: string; code?: string; causeMessage?: string };
}

let dir: string;
let standIn: http.Server;
let mockUrl: string;
let received: Received[] = [];
let runs = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'provider-intercept-test-'));
  standIn = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(201, { 'content-type': 'application/json', 'x-stand-in': 'yes' });
      res.end(JSON.stringify({ answeredBy: 'stand-in', path: req.url }));
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  mockUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});

afterEach(() => {
  received = [];
});

afterAll(async () => {
  await new Promise((resolve) => standIn.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one request in a fresh child with the preload; returns its outcome, stderr and log lines. */
async function run(spec: Record<string, unknown>, env: Record<string, string> = {}) {
  const logFile = path.join(dir, `intercept-${++runs}.jsonl`);
  const child = spawnChild({
    name: `intercept-client-${runs}`,
    command: process.execPath,
    args: [CLIENT, JSON.stringify(spec)],
    env: { NODE_OPTIONS: nodeOptionsImporting([PRELOAD]), OAUTH_REPRO_MOCK_URL: mockUrl, OAUTH_REPRO_INTERCEPT_LOG: logFile, ...env },
    logDir: path.join(dir, 'logs'),
  });
  const outcome = await child.waitForLine('stdout', (line) => JSON.parse(line) as Outcome, 'its outcome', 15_000);
  await child.exited;
  let log: Array<Record<string, unknown>> = [];
  try {
    log = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  } catch {
    // no decision was logged
  }
  return { outcome, stderr: child.stderr.lines, log, pid: child.pid };
}

describe('provider-intercept preload', () => {
  test('fetch to auth.atlassian.com reaches the mock with method, path, query and body, and answers as the real host', async () => {
    const body = JSON.stringify({ grant_type: 'authorization_code', code: 'c1' });
    const { outcome, log } = await run({
      client: 'fetch',
      method: 'POST',
      url: 'https://auth.atlassian.com/oauth/token?probe=1&x=%20y',
      headers: { 'content-type': 'application/json', 'x-custom': 'kept' },
      body,
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(201);
    expect(outcome.url).toBe('https://auth.atlassian.com/oauth/token?probe=1&x=%20y');
    expect(outcome.headers?.['x-stand-in']).toBe('yes');
    expect(JSON.parse(outcome.body ?? '{}')).toEqual({ answeredBy: 'stand-in', path: '/oauth/token?probe=1&x=%20y' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/oauth/token?probe=1&x=%20y', body });
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'kept', host: new URL(mockUrl).host });
    expect(log).toEqual([
      expect.objectContaining({ method: 'POST', url: 'https://auth.atlassian.com/oauth/token', action: 'redirected', to: `${mockUrl}/oauth/token` }),
    ]);
  });

  test('node:https POST to api.atlassian.com (named import) reaches the mock the same way', async () => {
    const body = 'grant_type=refresh_token&refresh_token=r1';
    const { outcome, log } = await run({
      client: 'https',
      method: 'POST',
      url: 'https://api.atlassian.com/oauth/token/accessible-resources?q=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer t1' },
      body,
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(201);
    expect(JSON.parse(outcome.body ?? '{}')).toEqual({ answeredBy: 'stand-in', path: '/oauth/token/accessible-resources?q=2' });
    expect(received).toEqual([
      expect.objectContaining({ method: 'POST', url: '/oauth/token/accessible-resources?q=2', body }),
    ]);
    expect(received[0]?.headers).toMatchObject({ authorization: 'Bearer t1', 'content-type': 'application/x-www-form-urlencoded', host: new URL(mockUrl).host });
    expect(log).toEqual([expect.objectContaining({ action: 'redirected', url: 'https://api.atlassian.com/oauth/token/accessible-resources' })]);
  });

  test("with OAUTH_REPRO_PROVIDER_HOSTS, the run's provider's hosts go to the mock and Atlassian's are refused", async () => {
    const github = { OAUTH_REPRO_PROVIDER_HOSTS: 'github.com,api.github.com' };
    const { outcome, log } = await run({ client: 'fetch', method: 'GET', url: 'https://api.github.com/user', headers: { authorization: 'Bearer gho_x' } }, github);
    expect(outcome.status).toBe(201);
    expect(received).toEqual([expect.objectContaining({ method: 'GET', url: '/user' })]);
    expect(log).toEqual([expect.objectContaining({ action: 'redirected', url: 'https://api.github.com/user', to: `${mockUrl}/user` })]);
    const refused = await run({ client: 'fetch', method: 'GET', url: 'https://auth.atlassian.com/authorize' }, github);
    expect(refused.outcome.error?.message).toBe('oauth-state-repro: outbound request to auth.atlassian.com refused (only github.com and api.github.com are redirected to the mock)');
  });

  test('http.request to example.com is refused with a labelled network error, on stderr and in the log', async () => {
    const { outcome, stderr, log } = await run({ client: 'http', method: 'GET', url: 'http://example.com/anything' });
    expect(outcome.error?.message).toMatch(REFUSAL);
    expect(outcome.error?.code).toBe('ERR_OAUTH_REPRO_REFUSED');
    expect(stderr.some((line) => REFUSAL.test(line))).toBe(true);
    expect(log).toEqual([expect.objectContaining({ method: 'GET', url: 'http://example.com/anything', action: 'refused', error: expect.stringMatching(REFUSAL) })]);
    expect(received).toEqual([]);
  });

  test('fetch to another host is refused too', async () => {
    const { outcome } = await run({ client: 'fetch', method: 'GET', url: 'https://example.com/' });
    expect(outcome.error?.message).toMatch(REFUSAL);
  });

  test('a raw socket to api.atlassian.com, which no HTTP interceptor sees, is refused by the socket guard', async () => {
    const { outcome, log } = await run({ client: 'socket', url: 'https://api.atlassian.com/' });
    expect(outcome.error?.message).toMatch(/^oauth-state-repro: outbound request to api\.atlassian\.com refused \(a raw connection the preload cannot redirect/);
    expect(log).toEqual([expect.objectContaining({ method: 'CONNECT', url: 'tcp://api.atlassian.com:443', action: 'refused' })]);
  });

  test('requests to the mock origin pass with the x-oauth-repro-pid header of the sending process (fetch and node:http)', async () => {
    const viaFetch = await run({ client: 'fetch', method: 'GET', url: `${mockUrl}/__probe?a=1` });
    const viaHttp = await run({ client: 'http', method: 'GET', url: `${mockUrl.replace('127.0.0.1', 'localhost')}/__probe` });
    expect(viaFetch.outcome.status).toBe(201);
    expect(viaHttp.outcome.status).toBe(201);
    expect(received.map((r) => r.headers['x-oauth-repro-pid'])).toEqual([String(viaFetch.pid), String(viaHttp.pid)]);
    expect(viaFetch.log).toEqual([expect.objectContaining({ action: 'passed', url: `${mockUrl}/__probe` })]);
  });

  test('redirected requests carry the pid header as well', async () => {
    const { pid } = await run({ client: 'fetch', method: 'GET', url: 'https://api.atlassian.com/me' });
    expect(received[0]?.headers['x-oauth-repro-pid']).toBe(String(pid));
  });

  test('other loopback servers get no pid header', async () => {
    const other = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { outcome } = await run({ client: 'fetch', method: 'GET', url: `http://127.0.0.1:${(other.address() as AddressInfo).port}/` });
      expect(JSON.parse(outcome.body ?? '{}')).not.toHaveProperty('x-oauth-repro-pid');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  test('NODE_OPTIONS carries it to a grandchild started as plain `node`', async () => {
    const { outcome } = await run({ client: 'child', inner: 'fetch', method: 'GET', url: 'https://auth.atlassian.com/authorize?state=s' });
    expect(outcome.status).toBe(201);
    expect(received.map((r) => r.url)).toEqual(['/authorize?state=s']);
  });

  test('without a mock URL, Atlassian hosts are refused rather than reached', async () => {
    const { outcome, stderr } = await run({ client: 'fetch', method: 'GET', url: 'https://auth.atlassian.com/authorize' }, { OAUTH_REPRO_MOCK_URL: '' });
    expect(outcome.error?.message).toBe('oauth-state-repro: outbound request to auth.atlassian.com refused (OAUTH_REPRO_MOCK_URL is not set: there is no mock to redirect it to)');
    expect(stderr[0]).toContain('OAUTH_REPRO_MOCK_URL is not set');
  });

  test('a mock URL that is not loopback is not trusted', async () => {
    const { outcome } = await run({ client: 'https', method: 'GET', url: 'https://api.atlassian.com/me' }, { OAUTH_REPRO_MOCK_URL: 'https://evil.example' });
    expect(outcome.error?.message).toContain('OAUTH_REPRO_MOCK_URL must be a loopback URL, got host evil.example');
  });

  test('a mock that does not answer gives a labelled error, not a hang', async () => {
    const { outcome, log } = await run({ client: 'fetch', method: 'GET', url: 'https://api.atlassian.com/me' }, { OAUTH_REPRO_MOCK_URL: 'http://127.0.0.1:1' });
    expect(outcome.error?.message).toMatch(/^oauth-state-repro: request to api\.atlassian\.com was redirected to the mock http:\/\/127\.0\.0\.1:1, which did not answer/);
    expect(log).toEqual([expect.objectContaining({ action: 'redirected', to: 'http://127.0.0.1:1/me', error: expect.any(String) })]);
  });
});
