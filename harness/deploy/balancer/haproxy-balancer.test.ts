/**
 * A real haproxy in front of real replicas (tiny Node HTTP servers, each
 * answering with its own name, spawned like every child of a run): each
 * policy routes as it says, every response names the replica that answered,
 * the runtime API adds, drains, parks and brings back replicas, a refused
 * config quotes haproxy, and a harness killed with SIGKILL leaves no
 * haproxy behind.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnChild, type RunningChild } from '../process/child-process.ts';
import { freePort } from '../process/free-port.ts';
import { MCP_SESSION_HEADER, NO_REPLICA, type BalancerPolicy, type BalancerTimeouts, type Replica } from './balancer-description.ts';
import { BalancerStartError, checkHaproxyConfig, HaproxyBalancer } from './haproxy-balancer.ts';
import { findHaproxy, HAPROXY_INSTALL_HINT } from './haproxy-executable.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { processEnded } from '../../../test/support/process-ended.ts';

const REPLICA_SCRIPT = fileURLToPath(new URL('./test-fixtures/named-replica.mjs', import.meta.url));
const CRASH_FIXTURE = fileURLToPath(new URL('./test-fixtures/harness-with-balancer.ts', import.meta.url));

let runDir: string;
const replicaProcesses = new Map<string, RunningChild>();
const replicas = new Map<string, Replica>();
const balancers: HaproxyBalancer[] = [];
const blockers: net.Server[] = [];

async function startReplica(name: string): Promise<Replica> {
  const child = spawnChild({ name, command: process.execPath, args: [REPLICA_SCRIPT, name], env: {}, logDir: runDir });
  replicaProcesses.set(name, child);
  const { url } = await child.waitForReady('stdout', 'replica');
  const replica = { name, host: '127.0.0.1', port: Number(new URL(url).port) };
  replicas.set(name, replica);
  return replica;
}

beforeAll(async () => {
  // Loud, not skipped: CI installs the package, so a missing binary is a broken machine.
  if (!findHaproxy()) throw new Error(HAPROXY_INSTALL_HINT);
  // Short, under /tmp: the runtime socket's path has to fit in 97 bytes.
  runDir = mkdtempSync(path.join(os.tmpdir(), 'haproxy-test-'));
  await Promise.all(['replica-1', 'replica-2', 'replica-3', 'replica-4'].map(startReplica));
});
afterEach(async () => {
  for (const balancer of balancers.splice(0)) await balancer.stop();
  for (const blocker of blockers.splice(0)) await new Promise((resolve) => blocker.close(resolve));
});
afterAll(async () => {
  await Promise.all([...replicaProcesses.values()].map((child) => child.stop()));
  rmSync(runDir, { recursive: true, force: true });
});

function replicaList(...names: string[]): Replica[] {
  return names.map((name) => replicas.get(name)!);
}

let balancerCount = 0;
async function startBalancer(policy: BalancerPolicy, names: string[], timeouts?: Partial<BalancerTimeouts>): Promise<HaproxyBalancer> {
  balancerCount += 1;
  const balancer = await HaproxyBalancer.start({ runDir, name: `haproxy-${balancerCount}`, policy, replicas: replicaList(...names), timeouts });
  balancers.push(balancer);
  return balancer;
}

interface Answer {
  status: number;
  servedBy: string | null;
  body: string;
  setCookie: string[];
}

async function get(balancer: HaproxyBalancer, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${balancer.url}/mcp`, { headers });
  const body = await response.text();
  return { status: response.status, servedBy: response.headers.get('x-served-by'), body, setCookie: response.headers.getSetCookie() };
}

/** Who answered each of `count` requests, checking on the way that the header names the replica whose body came back. */
async function servedBy(balancer: HaproxyBalancer, count: number, headers: () => Record<string, string> = () => ({})): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const answer = await get(balancer, headers());
    expect(answer.status).toBe(200);
    expect(answer.servedBy).toBe(answer.body);
    names.push(answer.body);
  }
  return names;
}

function tally(names: string[]): Record<string, number> {
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, names.filter((n) => n === name).length]));
}

function expectGone(pid: number): void {
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
}

describe('haproxy in front of replicas', () => {
  it('roundrobin: each request to the next replica, in turn, and every response names its replica', async () => {
    const balancer = await startBalancer('roundrobin', ['replica-1', 'replica-2', 'replica-3']);
    const names = await servedBy(balancer, 9);
    expect(tally(names)).toEqual({ 'replica-1': 3, 'replica-2': 3, 'replica-3': 3 });
    // In turn: the same cycle of three, again and again.
    expect(names.slice(3)).toEqual([...names.slice(0, 3), ...names.slice(0, 3)]);
  });

  it('sticky-cookie: a client that returns the cookie stays on its replica; one that does not goes round', async () => {
    const balancer = await startBalancer('sticky-cookie', ['replica-1', 'replica-2', 'replica-3']);
    const first = await get(balancer);
    expect(first.setCookie).toEqual([`SERVERID=${first.body}; path=/`]);
    const cookie = first.setCookie[0]!.split(';')[0]!;
    const returning = await servedBy(balancer, 9, () => ({ cookie }));
    expect(new Set(returning)).toEqual(new Set([first.body]));
    const forgetful = await servedBy(balancer, 9);
    expect(tally(forgetful)).toEqual({ 'replica-1': 3, 'replica-2': 3, 'replica-3': 3 });
  });

  it('session-header-hash: one Mcp-Session-Id always reaches one replica, different ids spread, no id goes round', async () => {
    const balancer = await startBalancer('session-header-hash', ['replica-1', 'replica-2', 'replica-3']);
    const oneSession = await servedBy(balancer, 12, () => ({ [MCP_SESSION_HEADER]: 'session-a' }));
    expect(new Set(oneSession).size).toBe(1);
    const ids = Array.from({ length: 30 }, (_, i) => `session-${i}`);
    const firstPass: string[] = [];
    for (const id of ids) firstPass.push(...(await servedBy(balancer, 1, () => ({ [MCP_SESSION_HEADER]: id }))));
    expect(Object.keys(tally(firstPass))).toEqual(['replica-1', 'replica-2', 'replica-3']);
    // Each id where it went the first time.
    const secondPass: string[] = [];
    for (const id of ids) secondPass.push(...(await servedBy(balancer, 1, () => ({ [MCP_SESSION_HEADER]: id }))));
    expect(secondPass).toEqual(firstPass);
    // Without the header (an MCP client's initialize), haproxy's fallback: round-robin over the hash ring, not one replica.
    expect(new Set(await servedBy(balancer, 9)).size).toBeGreaterThan(1);
  });

  it('session-header-hash: a session is not pinned to the replica that created it, only to where its id hashes', async () => {
    const balancer = await startBalancer('session-header-hash', ['replica-1', 'replica-2', 'replica-3']);
    const sessions: { id: string; createdBy: string; servedBy: string }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(`${balancer.url}/mcp`);
      await response.text();
      const id = response.headers.get(MCP_SESSION_HEADER)!;
      const [followUp] = await servedBy(balancer, 1, () => ({ [MCP_SESSION_HEADER]: id }));
      sessions.push({ id, createdBy: response.headers.get('x-served-by')!, servedBy: followUp! });
    }
    expect(sessions.every(({ id, createdBy }) => id.startsWith(`${createdBy}-session-`))).toBe(true);
    // The first request has no id, so round-robin picks its replica; the id that replica makes then hashes anywhere.
    expect(sessions.filter(({ createdBy, servedBy }) => createdBy !== servedBy).length).toBeGreaterThan(0);
  });

  it('session-affinity: every session stays on the replica that created it; requests without one go round', async () => {
    const balancer = await startBalancer('session-affinity', ['replica-1', 'replica-2', 'replica-3']);
    const sessions: { createdBy: string; servedBy: string[] }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(`${balancer.url}/mcp`);
      await response.text();
      const id = response.headers.get(MCP_SESSION_HEADER)!;
      sessions.push({ createdBy: response.headers.get('x-served-by')!, servedBy: await servedBy(balancer, 4, () => ({ [MCP_SESSION_HEADER]: id })) });
    }
    for (const { createdBy, servedBy: followUps } of sessions) expect(followUps).toEqual([createdBy, createdBy, createdBy, createdBy]);
    expect(new Set(sessions.map((s) => s.createdBy)).size).toBe(3);
    expect(tally(await servedBy(balancer, 9))).toEqual({ 'replica-1': 3, 'replica-2': 3, 'replica-3': 3 });
  });

  it('source: every loopback client is 127.0.0.1, so one replica takes every request', async () => {
    const balancer = await startBalancer('source', ['replica-1', 'replica-2', 'replica-3']);
    expect(new Set(await servedBy(balancer, 9)).size).toBe(1);
  });

  it('a replica added at runtime is listed and takes its turn', async () => {
    const balancer = await startBalancer('roundrobin', ['replica-1', 'replica-2']);
    expect(new Set(await servedBy(balancer, 4))).toEqual(new Set(['replica-1', 'replica-2']));
    await balancer.addReplica(replicas.get('replica-4')!);
    expect(await balancer.servers()).toEqual([
      { name: 'replica-1', host: '127.0.0.1', port: replicas.get('replica-1')!.port, state: 'ready', running: true, weight: 1 },
      { name: 'replica-2', host: '127.0.0.1', port: replicas.get('replica-2')!.port, state: 'ready', running: true, weight: 1 },
      { name: 'replica-4', host: '127.0.0.1', port: replicas.get('replica-4')!.port, state: 'ready', running: true, weight: 1 },
    ]);
    expect(tally(await servedBy(balancer, 9))).toEqual({ 'replica-1': 3, 'replica-2': 3, 'replica-4': 3 });
  });

  it('sticky-cookie: a replica added at runtime gets a cookie of its own (a hash, not its name) that pins a client to it', async () => {
    const balancer = await startBalancer('sticky-cookie', ['replica-1']);
    await balancer.addReplica(replicas.get('replica-4')!);
    let onAdded: Answer | undefined;
    for (let i = 0; i < 4 && !onAdded; i += 1) {
      const answer = await get(balancer);
      if (answer.body === 'replica-4') onAdded = answer;
    }
    expect(onAdded?.setCookie).toEqual([expect.stringMatching(/^SERVERID=[0-9a-f]{16}; path=\/$/)]);
    const cookie = onAdded!.setCookie[0]!.split(';')[0]!;
    expect(new Set(await servedBy(balancer, 6, () => ({ cookie })))).toEqual(new Set(['replica-4']));
  });

  it('a drained replica and one in maintenance take no new traffic; ready brings one back', async () => {
    const balancer = await startBalancer('roundrobin', ['replica-1', 'replica-2', 'replica-3']);
    await balancer.setReplicaState('replica-1', 'drain');
    expect(tally(await servedBy(balancer, 6))).toEqual({ 'replica-2': 3, 'replica-3': 3 });
    await balancer.setReplicaState('replica-2', 'maint');
    expect(tally(await servedBy(balancer, 4))).toEqual({ 'replica-3': 4 });
    expect((await balancer.servers()).map(({ name, state }) => `${name} ${state}`)).toEqual(['replica-1 drain', 'replica-2 maint', 'replica-3 ready']);
    await balancer.setReplicaState('replica-1', 'ready');
    await balancer.setReplicaState('replica-2', 'ready');
    expect(tally(await servedBy(balancer, 6))).toEqual({ 'replica-1': 2, 'replica-2': 2, 'replica-3': 2 });
  });

  it('sticky-cookie: a drained replica keeps the clients pinned to it; maintenance moves them', async () => {
    const balancer = await startBalancer('sticky-cookie', ['replica-1', 'replica-2']);
    await balancer.setReplicaState('replica-1', 'drain');
    expect(new Set(await servedBy(balancer, 3, () => ({ cookie: 'SERVERID=replica-1' })))).toEqual(new Set(['replica-1']));
    expect(new Set(await servedBy(balancer, 3))).toEqual(new Set(['replica-2']));
    await balancer.setReplicaState('replica-1', 'maint');
    const moved = await get(balancer, { cookie: 'SERVERID=replica-1' });
    expect(moved.body).toBe('replica-2');
    expect(moved.setCookie).toEqual(['SERVERID=replica-2; path=/']);
  });

  it('haproxy’s own errors: a 503 names the dead replica it tried, or <NOSRV> when none could be tried', async () => {
    const doomed = await startReplica('replica-doomed');
    // haproxy waits min(timeout connect, 1 s) before each of its 3 retries of a refused connection: 3 s at the default.
    const balancer = await startBalancer('roundrobin', ['replica-doomed'], { connectMs: 100 });
    expect((await get(balancer)).servedBy).toBe('replica-doomed');
    await replicaProcesses.get('replica-doomed')!.stop();
    const refused = await get(balancer);
    expect([refused.status, refused.servedBy]).toEqual([503, doomed.name]);
    await balancer.setReplicaState('replica-doomed', 'maint');
    const none = await get(balancer);
    expect([none.status, none.servedBy]).toEqual([503, NO_REPLICA]);
  });

  it('refuses runtime commands it cannot do, quoting haproxy', async () => {
    const balancer = await startBalancer('roundrobin', ['replica-1']);
    await expect(balancer.setReplicaState('replica-9', 'drain')).rejects.toThrow(/refused "set server replicas\/replica-9 state drain": No such server\./);
    await expect(balancer.addReplica(replicas.get('replica-1')!)).rejects.toThrow(/refused to add replicas\/replica-1: Already exists a server with the same name/);
    await expect(balancer.setReplicaState('replica-1', 'gone' as 'drain')).rejects.toThrow(/one of ready, drain, maint, got "gone"/);
    await expect(balancer.addReplica({ name: 'bad name', host: '127.0.0.1', port: 1 })).rejects.toThrow(/replica\.name must be/);
    await expect(balancer.setReplicaState('replica-1 state maint', 'ready')).rejects.toThrow(/balancer: name must be/);
  });

  it('stop ends master and worker, twice is safe, and the runtime API then says haproxy is stopped', async () => {
    const balancer = await startBalancer('roundrobin', ['replica-1']);
    expect(balancer.workerPid).not.toBe(balancer.pid);
    expect(processEnded(balancer.workerPid)).toBe(false);
    await balancer.stop();
    await balancer.stop();
    expectGone(balancer.pid);
    expect(await eventually(() => processEnded(balancer.workerPid), 5000)).toBe(true);
    await expect(balancer.servers()).rejects.toThrow(/haproxy is not running \(stopped\)/);
  });

  it('retries once on a new port when the chosen one is taken before haproxy binds it', async () => {
    const blocker = net.createServer();
    blockers.push(blocker);
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    const offered: number[] = [];
    const balancer = await HaproxyBalancer.start({
      runDir,
      name: 'haproxy-retry',
      policy: 'roundrobin',
      replicas: replicaList('replica-1'),
      pickPort: async () => {
        const port = offered.length === 0 ? taken : await freePort();
        offered.push(port);
        return port;
      },
    });
    balancers.push(balancer);
    expect(offered).toHaveLength(2);
    expect(balancer.port).toBe(offered[1]);
    expect((await get(balancer)).body).toBe('replica-1');
  });

  it('gives up with haproxy’s words when the retry fails too', async () => {
    const blocker = net.createServer();
    blockers.push(blocker);
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    await expect(HaproxyBalancer.start({ runDir, name: 'haproxy-taken', policy: 'roundrobin', replicas: replicaList('replica-1'), pickPort: async () => taken })).rejects.toThrow(
      new RegExp(`haproxy did not start on 127.0.0.1:${taken} \\(attempt 2[\\s\\S]*cannot bind socket \\(Address already in use\\)`),
    );
  });
});

describe('starting haproxy', () => {
  it('a missing binary is the install hint, and nothing starts', async () => {
    await expect(HaproxyBalancer.start({ runDir, command: 'no-such-haproxy', policy: 'roundrobin', replicas: replicaList('replica-1') })).rejects.toThrow(HAPROXY_INSTALL_HINT);
  });

  it('a config haproxy -c refuses is an error quoting haproxy’s alert', async () => {
    const bad = path.join(runDir, 'refused.cfg');
    writeFileSync(bad, 'global\n  nbthread one\n');
    const refused = checkHaproxyConfig(findHaproxy()!, bad, 'haproxy-refused-check', runDir);
    await expect(refused).rejects.toThrow(BalancerStartError);
    await expect(refused).rejects.toThrow(/haproxy -c refused .*refused\.cfg \(code 1\):\n {2}\| \[ALERT\].*'nbthread' passed a missing or unparsable integer value in 'one'/);
  });

  it('a bad description is refused before anything is written or spawned', async () => {
    await expect(HaproxyBalancer.start({ runDir, policy: 'roundrobin', replicas: [] })).rejects.toThrow('balancer: replicas must be a list of at least one replica, got []');
  });
});

describe('a harness killed with SIGKILL', () => {
  it('leaves no haproxy behind: the orphan reaper ends master and worker', { timeout: 40_000 }, async () => {
    const harness = execa(process.execPath, ['--import', 'tsx', CRASH_FIXTURE, runDir], { reject: false, buffer: false });
    const started = await new Promise<{ master: number; worker: number; reaper: number }>((resolve, reject) => {
      let text = '';
      harness.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /balancer (\d+) worker (\d+) reaper (\d+)/.exec(text);
        if (match) resolve({ master: Number(match[1]), worker: Number(match[2]), reaper: Number(match[3]) });
      });
      void harness.then((result) => reject(new Error(`the harness exited early (${result.exitCode}): ${text}`)));
    });
    expect(processEnded(started.master)).toBe(false);
    expect(processEnded(started.worker)).toBe(false);
    harness.kill('SIGKILL');
    await harness;
    // The reaper exits when it is done; ended counts a zombie (an orphan waits for init to reap it).
    expect(await eventually(() => processEnded(started.reaper), 30_000)).toBe(true);
    expect(await eventually(() => processEnded(started.master), 15_000)).toBe(true);
    expect(await eventually(() => processEnded(started.worker), 15_000)).toBe(true);
  });
});
