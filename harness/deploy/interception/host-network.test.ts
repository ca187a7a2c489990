/**
 * A simulated host's network namespace, through real processes: the run's
 * mock playing GitHub, its TLS front, and Python and curl on two hosts,
 * each process wrapped as the launcher wraps a target's (the host's mount
 * namespace with the front's files, inside the host's network namespace).
 * An IP literal leads nowhere, GitHub's hosts are answered by the mock
 * through the front (logged with the caller's pid), the harness reaches a
 * port listened on inside at the machine's 127.0.0.1, the processes of one
 * host reach each other's loopback and another host's do not, and nothing
 * of a namespace is left once its last process is gone.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunFolder, type RunFolder } from '../../core/run-folder.ts';
import { makeHost, onHost, type Host } from '../hosts.ts';
import { spawnChild, stopAllChildren, type RunningChild } from '../process/child-process.ts';
import { freePort } from '../process/free-port.ts';
import { MockAtlassian } from '../services/mock-atlassian.ts';
import { HostNetwork } from './host-network.ts';
import { HostNetworks } from './host-networks.ts';
import { networkIsolation } from './network-namespaces.ts';
import type { ProviderInterception } from './provider-interception.ts';

const HOSTS = ['github.com', 'api.github.com'];
let run: RunFolder;
let mock: MockAtlassian;
let front: ProviderInterception;
let mockPort: number;
const hosts: Record<'a' | 'b', { host: Host; network: HostNetwork }> = {} as never;

beforeAll(async () => {
  expect(networkIsolation()).toEqual({ kind: 'network-namespace' });
  run = createRunFolder(undefined, 'host-network');
  mock = await MockAtlassian.start(run.logDir, [], { MOCK_PROVIDER: 'github' });
  front = await mock.providerInterception(HOSTS);
  mockPort = Number(new URL(mock.url).port);
  for (const name of ['a', 'b'] as const) {
    const host = makeHost(run, 'netns', name);
    hosts[name] = { host, network: new HostNetwork({ name: `netns.${name}.relay`, logDir: run.logDir, ports: [mockPort], front: front.relay }) };
  }
}, 30_000);

afterAll(async () => {
  await Promise.all(Object.values(hosts).map(({ network }) => network?.stop()));
  await mock?.stop();
  await stopAllChildren({ graceMs: 300 });
});

let started = 0;

/** `command args` on host `name` as a target's process runs there: its mount namespace with the front's files, in the host's network namespace. */
function onNetworkHost(name: 'a' | 'b', command: string, args: string[], ports: number[] = []): RunningChild {
  const { host, network } = hosts[name];
  const wrapped = onHost(host, command, args, [], front.binds);
  const inside = network.wrap(network.gateFor(ports), wrapped.command, wrapped.args);
  // From /, which every host sees (a pyenv shim under a checkout in /tmp would not be there).
  return spawnChild({ name: `netns-${name}-${++started}`, command: inside.command, args: inside.args, cwd: '/', env: front.env, logDir: run.logDir });
}

/** Runs to its end: its exit code and what it printed. */
async function finished(child: RunningChild): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const info = await child.exited;
  await child.logClosed;
  return { code: info.code, stdout: child.stdout.lines.join('\n'), stderr: child.stderr.lines.join('\n') };
}

const python = (name: 'a' | 'b', script: string[], ports: number[] = []) => finished(onNetworkHost(name, 'python3', ['-c', script.join('\n')], ports));

/** A Python server on 127.0.0.1:PORT inside host `name`, answering "host NAME", ready once it says so. */
async function serveInside(name: 'a' | 'b', port: number): Promise<RunningChild> {
  const script = [
    'import http.server, sys',
    'class H(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    `        body = b"host ${name}"`,
    '        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)',
    '    def log_message(self, *a): pass',
    `s = http.server.HTTPServer(("127.0.0.1", ${port}), H)`,
    'print("listening", flush=True)',
    's.serve_forever()',
  ];
  const child = onNetworkHost(name, 'python3', ['-c', script.join('\n')]);
  await child.waitForLine('stdout', (line) => (line === 'listening' ? true : undefined), 'listening', 10_000);
  return child;
}

const connectScript = (host: string, port: number) => [
  'import socket',
  'try:',
  `    socket.create_connection((${JSON.stringify(host)}, ${port}), timeout=5).close(); print("connected")`,
  'except OSError as e:',
  '    print("failed", e.errno, e.strerror)',
];

describe("a host's network namespace", () => {
  it('says in its guarantee that IP literals cannot leave', () => {
    expect(front.relay).toMatchObject({ address: new URL(front.url).hostname });
    expect(front.guarantee).toMatch(/network namespace with loopback only, so IP literals cannot leave/);
  });

  it('a connection to an IP literal fails at once: the network is unreachable', async () => {
    const result = await python('a', connectScript('93.184.216.34', 443));
    expect(result.stdout).toBe('failed 101 Network is unreachable');
    const curl = await finished(onNetworkHost('b', 'curl', ['-sS', '--max-time', '5', 'https://1.1.1.1/']));
    expect(curl.code).not.toBe(0);
    expect(curl.stderr).toMatch(/unreachable|Couldn't connect/i);
  });

  it("GitHub's hosts, through the bound /etc/hosts, are answered by the mock over TLS; the front logs the caller's pid", async () => {
    const result = await python('a', [
      'import os, urllib.request, urllib.error',
      'try:',
      '    urllib.request.urlopen("https://api.github.com/user", timeout=5); print("status 200")',
      'except urllib.error.HTTPError as e:',
      '    print("status", e.code)',
      'print("pid", os.getpid())',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^status 401\npid \d+$/);
    const pid = Number(/pid (\d+)/.exec(result.stdout)![1]);
    const logged = () => readFileSync(front.logFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid?: number; url: string; action: string; status?: number });
    expect(logged().filter((entry) => entry.pid === pid)).toEqual([expect.objectContaining({ url: 'https://api.github.com/user', action: 'redirected', status: 401 })]);
  });

  it('a TLS client naming another host at the front is refused at the handshake and logged with its pid', async () => {
    const child = onNetworkHost('b', 'curl', ['-sS', '--max-time', '5', '--resolve', `example.com:443:${front.relay!.address}`, 'https://example.com/']);
    const result = await finished(child);
    expect(result.code).not.toBe(0);
    await vi.waitFor(
      () => expect(readFileSync(front.logFile, 'utf8')).toContain(`"pid":${child.pid},"via":"netns-relay","method":"CONNECT","url":"https://example.com/","action":"refused"`),
      { timeout: 5000, interval: 50 },
    );
  });

  it("the harness's ports it was given are reached at 127.0.0.1 and localhost inside; any other is refused", async () => {
    const other = net.createServer((socket) => socket.end('not for the host\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as net.AddressInfo).port;
    try {
      const given = await python('b', [
        'import urllib.request',
        `print(urllib.request.urlopen("http://127.0.0.1:${mockPort}/__mock/stats", timeout=5).status)`,
        `print(urllib.request.urlopen("http://localhost:${mockPort}/__mock/stats", timeout=5).status)`,
      ]);
      expect(given).toMatchObject({ stdout: '200\n200', stderr: '' });
      const refused = await python('b', connectScript('127.0.0.1', otherPort));
      expect(refused.stdout).toBe('failed 111 Connection refused');
    } finally {
      other.close();
    }
  });

  it('a port named for one process is relayed before that process starts (its gate opens after)', async () => {
    const extra = net.createServer((socket) => socket.end('extra\n'));
    await new Promise<void>((resolve) => extra.listen(0, '127.0.0.1', resolve));
    const port = (extra.address() as net.AddressInfo).port;
    try {
      const result = await python('a', ['import socket', `print(socket.create_connection(("127.0.0.1", ${port}), timeout=5).recv(100).decode().strip())`], [port]);
      expect(result).toMatchObject({ stdout: 'extra', stderr: '' });
    } finally {
      extra.close();
    }
  });

  it("the harness reaches a server inside at the machine's 127.0.0.1:PORT; the host's other processes reach it on loopback, another host's do not", async () => {
    const port = await freePort();
    const server = await serveInside('a', port);
    try {
      await hosts.a.network.forwardInbound(port);
      const answer = await fetch(`http://127.0.0.1:${port}/`);
      expect(await answer.text()).toBe('host a');
      const localhost = await fetch(`http://localhost:${port}/`);
      expect(await localhost.text()).toBe('host a');
      const sameHost = await python('a', ['import urllib.request', `print(urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=5).read().decode())`]);
      expect(sameHost).toMatchObject({ stdout: 'host a', stderr: '' });
      const otherHost = await python('b', connectScript('127.0.0.1', port));
      expect(otherHost.stdout).toBe('failed 111 Connection refused');
    } finally {
      await server.stop({ graceMs: 300 });
    }
  });
});

describe("a deployment's host namespaces", () => {
  it('made at the first process of a host, shared by the next, and stopped (relay, ports, folder) after the last one exits', async () => {
    const host = makeHost(run, 'netns-pool', 'a');
    const made: HostNetwork[] = [];
    const networks = new HostNetworks((_, ports) => {
      made.push(new HostNetwork({ name: `netns-pool.a.relay-${made.length + 1}`, logDir: run.logDir, ports, front: front.relay }));
      return made.at(-1)!;
    });
    const port = await freePort();
    const start = (script: string) => {
      const entered = networks.enter(host, [mockPort]);
      const wrapped = onHost(host, 'python3', ['-c', script], [], front.binds);
      const inside = entered.network.wrap(entered.gate, wrapped.command, wrapped.args);
      const child = spawnChild({ name: `netns-pool-${++started}`, command: inside.command, args: inside.args, cwd: '/', env: {}, logDir: run.logDir });
      entered.started(child);
      return { child, network: entered.network };
    };
    const first = start(['import http.server', `s = http.server.HTTPServer(("127.0.0.1", ${port}), http.server.BaseHTTPRequestHandler)`, 'print("listening", flush=True)', 's.serve_forever()'].join('\n'));
    await first.child.waitForLine('stdout', (line) => (line === 'listening' ? true : undefined), 'listening', 10_000);
    await first.network.forwardInbound(port);
    const second = start('import sys; sys.stdin.read()');
    expect(second.network).toBe(first.network);
    const network = first.network;
    const relayDir = path.dirname(network.gateFor([]));
    await first.child.stop({ graceMs: 300 });
    expect(network.isRunning).toBe(true);
    await second.child.stop();
    await vi.waitFor(() => expect(existsSync(relayDir)).toBe(false), { timeout: 5000, interval: 50 });
    expect(network.isRunning).toBe(false);
    // The harness's side of its port is free again, for a callback started afresh.
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
    // The host starts over with a namespace of its own.
    const third = start('print("again")');
    expect(third.network).not.toBe(network);
    expect((await finished(third.child)).stdout).toBe('again');
    expect(made).toHaveLength(2);
  });
});
