/**
 * The launcher puts a non-Node server that hard-codes its provider's hosts
 * (the python-stdlib fixture) in a network namespace per host: its callback
 * answers the harness at http://localhost:PORT as before, its processes are
 * in no namespace of the harness's and in none of another host's, and the
 * namespaces' relays stop with the host's last process. The same server
 * taking its provider URLs from its environment runs on the machine's
 * network, as before.
 */
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createRunFolder, type RunFolder } from '../core/run-folder.ts';
import { makeHost } from './hosts.ts';
import { ToolClient } from './mcp/tool-client.ts';
import { runningChildren, stopAllChildren } from './process/child-process.ts';
import { MockAtlassian } from './services/mock-atlassian.ts';
import { loadTarget } from './target/load-target.ts';
import type { TargetDescription } from './target/target-description.ts';
import { deploymentIdentity, TargetLauncher } from './target-launcher.ts';

const TARGET = 'fixtures/targets/python-stdlib/target.ts';
let run: RunFolder;
let mock: MockAtlassian;
let target: TargetDescription;

beforeAll(async () => {
  run = createRunFolder(undefined, 'target-launcher-netns');
  mock = await MockAtlassian.start(run.logDir, [], { MOCK_PROVIDER: 'github' });
  target = await loadTarget(TARGET);
}, 30_000);

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 300 });
});

const networkOf = (pid: number | 'self') => readlinkSync(`/proc/${pid}/ns/net`);
const relays = (label: string) => runningChildren().filter((child) => child.spec.name.startsWith(`${label}.`) && child.spec.name.includes('.netns-'));

async function launcher(label: string, description: TargetDescription): Promise<TargetLauncher> {
  const client = await mock.registerClient(`client-${label}`);
  const launched = new TargetLauncher({ target: description, store: 'json-file', label, mock, run }, client, deploymentIdentity(label));
  await launched.prepare();
  return launched;
}

describe('a non-Node server with hard-coded provider hosts', () => {
  test('each host in a network namespace of its own; the callback reached at localhost; the relays gone with the processes', async () => {
    const launched = await launcher('netns', target);
    const hosts = { a: makeHost(run, 'netns', 'a'), b: makeHost(run, 'netns', 'b') };
    const callback = await launched.startCallback('netns.callback', hosts.b);
    const tool = launched.spawn('tool', 'netns.tool', hosts.a, undefined, `${callback.url}/callback`);
    const health = await fetch(new URL(target.healthPath ?? '/health', callback.url));
    expect(health.status).toBe(200);
    expect(callback.url).toMatch(/^http:\/\/localhost:\d+$/);
    // Past its gate (the server itself, answering MCP): its namespace is read then.
    const client = await ToolClient.connect(tool);
    const seen = { harness: networkOf('self'), callback: networkOf(callback.child.pid), tool: networkOf(tool.pid) };
    expect(seen.callback).not.toBe(seen.harness);
    expect(seen.tool).not.toBe(seen.harness);
    expect(seen.tool).not.toBe(seen.callback);
    expect(relays('netns')).toHaveLength(2);
    await client.close();
    await Promise.all([callback.child.stop({ graceMs: 300 }), tool.stop({ graceMs: 300 })]);
    await vi.waitFor(() => expect(relays('netns')).toEqual([]), { timeout: 5000, interval: 50 });
  });

  test('taking its provider URLs from its environment instead, it runs on the machine\'s network as before', async () => {
    const launched = await launcher('from-env', { ...target, providerHosts: 'from-env' });
    const callback = await launched.startCallback('from-env.callback', makeHost(run, 'from-env', 'a'));
    expect(networkOf(callback.child.pid)).toBe(networkOf('self'));
    expect(relays('from-env')).toEqual([]);
    await callback.child.stop({ graceMs: 300 });
  });
});
