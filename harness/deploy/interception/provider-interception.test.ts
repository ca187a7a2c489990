/**
 * Interception for a server that is not Node, through real processes: the
 * run's mock, its TLS front, and Python's urllib and curl run on a
 * simulated host with the front's files bound over the host's own. A
 * provider host is answered by the mock over TLS (both through the trust
 * variables and through the system bundle alone), the call is logged with
 * the pid that made it, a host the run does not answer for does not
 * resolve, and the front goes with the mock.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { makeHost, onHost } from '../hosts.ts';
import { stopAllChildren } from '../process/child-process.ts';
import { MockAtlassian } from '../services/mock-atlassian.ts';
import type { ProviderInterception } from './provider-interception.ts';

const HOSTS = ['auth.atlassian.com', 'api.atlassian.com'];
let run: RunFolder;
let mock: MockAtlassian;
let front: ProviderInterception;

beforeAll(async () => {
  run = createRunFolder(undefined, 'provider-interception');
  mock = await MockAtlassian.start(run.logDir);
  front = await mock.providerInterception(HOSTS);
}, 30_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 300 });
});

/** Runs `command args` on a fresh host of the run, with the front's binds, and (unless told not to) its trust variables. */
function onInterceptedHost(name: string, command: string, args: string[], withVariables = true) {
  const host = makeHost(run, 'interception', name);
  const wrapped = onHost(host, command, args, [], front.binds);
  // From /, which every host sees: a checkout under /tmp is not there inside a host's private /tmp (a pyenv shim says so on stderr).
  return spawnSync(wrapped.command, wrapped.args, { cwd: '/', encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH!, ...(withVariables ? front.env : {}) } });
}

const log = () => readFileSync(front.logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid?: number; url: string; action: string; status?: number });

describe('the TLS front of the run\'s mock, for any runtime', () => {
  it('one front per mock and host list', async () => {
    await expect(mock.providerInterception([...HOSTS].reverse())).resolves.toBe(front);
  });

  it('Python (urllib, SSL_CERT_FILE) reaches the mock at the provider\'s hosts over TLS; the front logs each call with its pid', () => {
    const script = [
      'import os, urllib.request, urllib.error',
      'for url in ["https://api.atlassian.com/me", "https://auth.atlassian.com/authorize"]:',
      '    try:',
      '        urllib.request.urlopen(url, timeout=5); print(url, 200)',
      '    except urllib.error.HTTPError as e:',
      '        print(url, e.code, e.headers.get("content-type"))',
      'print("pid", os.getpid())',
    ].join('\n');
    const result = onInterceptedHost('python', 'python3', ['-c', script]);
    expect(result.stderr).toBe('');
    // The mock's own answers: /me without a token is 401, /authorize without parameters a 400 page.
    expect(result.stdout).toContain('https://api.atlassian.com/me 401');
    expect(result.stdout).toMatch(/https:\/\/auth\.atlassian\.com\/authorize 400/);
    const pid = Number(/pid (\d+)/.exec(result.stdout)![1]);
    const calls = log().filter((entry) => entry.pid === pid);
    expect(calls.map((entry) => [entry.url, entry.action, entry.status])).toEqual([
      ['https://api.atlassian.com/me', 'redirected', 401],
      ['https://auth.atlassian.com/authorize', 'redirected', 400],
    ]);
  });

  it('curl with no trust variable at all trusts the run\'s CA through the system bundle bound over its own', () => {
    const result = onInterceptedHost('curl', 'curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', 'https://api.atlassian.com/me'], false);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('401');
  });

  it('a host the run does not answer for does not resolve: nothing leaves the machine', () => {
    const result = onInterceptedHost('elsewhere', 'curl', ['-sS', '--max-time', '5', 'https://example.com/']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/resolve host/i);
  });

  it('a client that names a host the front has no certificate for is refused at the handshake, and logged', async () => {
    const result = onInterceptedHost('sni', 'curl', ['-sS', '--max-time', '5', '--resolve', `example.com:443:${new URL(front.url).hostname}`, 'https://example.com/']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/certificate|SSL/i);
    // The client gives up before the front has written its line: wait for the line, not for a time.
    await vi.waitFor(() => expect(log().some((entry) => entry.url === 'https://example.com/' && entry.action === 'refused')).toBe(true), { timeout: 5000, interval: 50 });
  });
});

describe('the same front as an HTTPS proxy, where no namespace can be made', () => {
  let proxy: ProviderInterception;
  beforeAll(async () => {
    proxy = await mock.providerInterception(HOSTS, 'proxy');
  }, 30_000);

  /** A process started plainly (no namespace, nothing bound), with the proxy's variables only. */
  const plainly = (command: string, args: string[]) =>
    spawnSync(command, args, { cwd: '/', encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH!, ...proxy.env } });

  it('Python (urllib reads https_proxy) and curl (HTTPS_PROXY) reach the mock at the provider\'s hosts through it, each call logged with its pid', () => {
    expect(proxy).toMatchObject({ mode: 'proxy', binds: [], guarantee: expect.stringMatching(/ignores the variable is not redirected/) });
    const script = ['import os, urllib.request, urllib.error', 'try:', '    urllib.request.urlopen("https://api.atlassian.com/me", timeout=5)', 'except urllib.error.HTTPError as e:', '    print(e.code)', 'print("pid", os.getpid())'].join('\n');
    const python = plainly('python3', ['-c', script]);
    expect(python.stderr).toBe('');
    expect(python.stdout).toMatch(/^401\npid \d+/);
    const curl = plainly('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', 'https://auth.atlassian.com/authorize']);
    expect(curl.stdout).toBe('400');
    const pid = Number(/pid (\d+)/.exec(python.stdout)![1]);
    const entries = readFileSync(proxy.logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid?: number; url: string; action: string; status?: number });
    expect(entries.find((entry) => entry.pid === pid)).toMatchObject({ url: 'https://api.atlassian.com/me', action: 'redirected', status: 401 });
  });

  it('a CONNECT to any other host is refused and logged', async () => {
    const curl = plainly('curl', ['-sS', '--max-time', '5', 'https://example.com/']);
    expect(curl.status).not.toBe(0);
    expect(curl.stderr).toMatch(/403/);
    await vi.waitFor(() => expect(readFileSync(proxy.logFile, 'utf8')).toMatch(/"url":"https:\/\/example\.com:443\/","action":"refused"/), { timeout: 5000, interval: 50 });
  });
});
