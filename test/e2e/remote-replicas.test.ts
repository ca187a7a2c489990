/**
 * The remote pieces together, through real processes: two replicas of
 * `src/`'s remote mode (Streamable HTTP, MCP authorization as an OAuth proxy
 * to the mock Atlassian) behind a real haproxy, and the harness as the MCP
 * client (the SDK's client, the user agent, a loopback redirect URI), every
 * hop recorded with the replica the balancer says served it.
 *
 * Round-robin sends consecutive hops to alternate replicas: with `memory`
 * (each replica its own Map) the flow breaks at the first hop that needs
 * state the other replica made, and the result names both replicas; with
 * `redis` the same alternation completes. `source` (every hop from
 * loopback to one replica) is the control: `memory` completes there, so the
 * break under round-robin is the replicas', not the flow's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HaproxyBalancer } from '../../harness/deploy/balancer/haproxy-balancer.ts';
import type { BalancerPolicy } from '../../harness/deploy/balancer/balancer-description.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { runRemoteFlow, type RemoteFlowResult } from '../../harness/deploy/remote/remote-flow.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { freePort } from '../../harness/deploy/process/free-port.ts';
import { RedisServer, REDIS_INSTALL_HINT, redisServerAvailable } from '../../harness/deploy/services/redis-server.ts';
import { startRemoteReplica } from '../../src/remote/test-fixtures/remote-processes.ts';

let dir: string;
let mock: MockAtlassian;
let redis: RedisServer;
const balancers: HaproxyBalancer[] = [];

beforeAll(async () => {
  if (!redisServerAvailable()) throw new Error(REDIS_INSTALL_HINT);
  dir = mkdtempSync(path.join(os.tmpdir(), 'remote-replicas-'));
  [mock, redis] = await Promise.all([MockAtlassian.start(dir), RedisServer.start({ logDir: dir, name: 'redis' })]);
  await mock.setKnobs({ consent: 'form' });
}, 30_000);

afterAll(async () => {
  await Promise.all(balancers.map((balancer) => balancer.stop()));
  await stopAllChildren({ graceMs: 500 });
  await Promise.all([mock?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Two replicas of one store behind a balancer with `policy`, and one whole flow through it. */
async function flowThrough(store: 'memory' | 'redis', policy: BalancerPolicy): Promise<RemoteFlowResult> {
  const name = `${store}-${policy}`;
  const ports = [await freePort(), await freePort()];
  // The balancer first: its URL is every replica's PUBLIC_URL (haproxy starts without its replicas up).
  const balancer = await HaproxyBalancer.start({ runDir: dir, name: `haproxy-${name}`, policy, replicas: ports.map((port, i) => ({ name: `${name}-${'ab'[i]}`, host: '127.0.0.1', port })) });
  balancers.push(balancer);
  const clientId = `remote-${name}`;
  const { clientSecret } = await mock.registerClient(clientId, [`${balancer.url}/oauth/callback`]);
  await Promise.all(
    ports.map((port, i) =>
      startRemoteReplica({
        name: `${name}-${'ab'[i]}`,
        logDir: dir,
        homeDir: dir,
        mockUrl: mock.url,
        clientSecret,
        publicUrl: balancer.url,
        store,
        port,
        env: { ATLASSIAN_CLIENT_ID: clientId, ...(store === 'redis' ? { REDIS_URL: redis.url } : {}) },
      }),
    ),
  );
  return runRemoteFlow({ mcpUrl: `${balancer.url}/mcp`, toolCall: { name: 'replica_info' } });
}

const servedBy = (result: RemoteFlowResult) => new Set(result.hops.flatMap((hop) => (hop.replica ? [hop.replica] : [])));
const say = (result: RemoteFlowResult) => `${JSON.stringify(result.outcome)}\n${result.hops.map((h) => `${h.kind} ${h.status ?? '–'} ${h.replica ?? ''}`).join('\n')}`;

describe('two replicas of the remote mode behind haproxy', () => {
  it('round-robin, memory: the flow breaks at the first hop that needs what the other replica made (the client registered on b, /authorize on a)', async () => {
    const result = await flowThrough('memory', 'roundrobin');
    // Hops alternate a, b, a, b: initialize, resource metadata, AS metadata, then the registration on b, so /authorize on a asks for a client a never saw.
    expect(result.outcome, say(result)).toMatchObject({ outcome: 'broken', lost: 'registration', kind: 'authorize', status: 400, replica: 'memory-roundrobin-a', createdOn: 'memory-roundrobin-b' });
  }, 30_000);

  it('round-robin, redis: the same alternation completes, both replicas serving', async () => {
    const result = await flowThrough('redis', 'roundrobin');
    expect(result.outcome, say(result)).toEqual({ outcome: 'completed' });
    expect([...servedBy(result)].sort()).toEqual(['redis-roundrobin-a', 'redis-roundrobin-b']);
  }, 30_000);

  it('source, memory (the control): one replica serves every hop, and the flow completes', async () => {
    const result = await flowThrough('memory', 'source');
    expect(result.outcome, say(result)).toEqual({ outcome: 'completed' });
    expect(servedBy(result).size).toBe(1);
  }, 30_000);
});
