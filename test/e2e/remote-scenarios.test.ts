/**
 * The CI gate's remote half: one test per remote scenario × store, through
 * real processes (replicas of the server on simulated hosts, haproxy in
 * front of them, the mock Atlassian, the SDK's client), asserting the
 * outcome the remote scenario declares, and where the first flow broke.
 * For src/'s remote mode (an OAuth proxy), for the MCP SDK's own example
 * server, run unmodified from node_modules (one replica completes, two
 * break at the hop its in-memory provider predicts), and for src/ as a
 * resource server of an authorization server the harness runs (only its
 * MCP sessions can be lost).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeLost } from '../../harness/core/checkers/remote-cell-verdict.ts';
import { loadRemoteScenarios } from '../../harness/core/load-scenarios.ts';
import type { RemoteCellResult } from '../../harness/core/remote-cell-result.ts';
import { createRunFolder, type RunFolder } from '../../harness/core/run-folder.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { startRunServices, type RunServicesHandle } from '../../harness/deploy/services/run-services.ts';
import { loadAnyTarget, remoteTargetOf } from '../../harness/deploy/target/load-target.ts';
import type { RemoteTargetDescription } from '../../harness/deploy/target/remote-target-description.ts';
import { runRemoteCell } from '../../harness/engine/run-remote-cell.ts';
import { conformanceSuiteFor, plannedRemoteCells, runRemoteTable } from '../../harness/engine/run-remote-table.ts';
import { describeFirstBreak, describeRemoteExpected } from '../../harness/results/remote-cases.ts';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../../harness/deploy/browser/chromium.ts';

const scenarios = await loadRemoteScenarios();
const targets: RemoteTargetDescription[] = [
  remoteTargetOf(await loadAnyTarget('src/repro.target.ts'))!,
  remoteTargetOf(await loadAnyTarget('fixtures/targets/sdk-example-remote/target.ts'))!,
  remoteTargetOf(await loadAnyTarget('fixtures/targets/resource-server/target.ts'))!,
];
let run: RunFolder;
let mock: MockAtlassian;
let services: RunServicesHandle | undefined;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-remote');
  // Required: the gate covers redis's remote rows (.ci/run installs redis-server); a missing one fails loudly.
  services = await startRunServices(run, targets[0]!, Object.keys(targets[0]!.stores), { required: true });
  mock = await MockAtlassian.start(run.logDir);
}, 30_000);

afterAll(async () => {
  await mock?.stop();
  await services?.stop();
  await stopAllChildren({ graceMs: 500 });
});

const say = (cell: RemoteCellResult) =>
  `${cell.reason ?? ''}\n${cell.completed}/${cell.flows.length} completed; ${describeLost(cell.lost)}; first break: ${describeFirstBreak(cell) ?? '–'}\n${cell.harnessError ?? ''}\nhistory: ${cell.historyFile}`;

for (const target of targets) {
  describe.concurrent(`${target.name}: remote scenario × store through replicas behind haproxy`, () => {
    for (const { scenario, store, expected } of plannedRemoteCells(scenarios, target)) {
      const title = `${scenario.name} × ${store}: ${describeRemoteExpected(expected)}`;
      test(title, async () => {
        const cell = await runRemoteCell({ target, scenario, store, expected, mock, run });
        expect(cell.harnessError, say(cell)).toBeUndefined();
        expect(cell.matched, say(cell)).toBe(true);
        if (expected.outcome === 'fail') {
          // The break names the replica that looked, and (for state another replica made) the one that made it.
          expect(cell.firstBreak?.replica, say(cell)).toMatch(/^[a-h]$/);
          if (scenario.replicas > 1 && scenario.events.length === 0) expect(cell.firstBreak?.createdOn, say(cell)).not.toBe(cell.firstBreak?.replica);
        }
      }, 60_000);
    }
  });
}

describe('a resource server', () => {
  test('its OAuth requests reach the authorization server the harness runs, never a replica; its MCP requests reach the replicas with the tokens that server issued', async () => {
    const target = targets[2]!;
    const { scenario, store, expected } = plannedRemoteCells(scenarios, target).find((c) => c.scenario.name === 'two-replicas-roundrobin' && c.store === 'redis')!;
    const cell = await runRemoteCell({ target, scenario, store, expected, mock, run });
    expect(cell.matched, say(cell)).toBe(true);
    const hops = readFileSync(path.join(run.dir, cell.historyFile), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { hops?: { kind: string; replica?: string; url: string }[] }).flatMap((line) => line.hops ?? []);
    const balancer = new URL(hops.find((hop) => hop.kind === 'initialize')!.url).origin;
    for (const kind of ['registration', 'authorize', 'token']) {
      const oauth = hops.filter((hop) => hop.kind === kind);
      expect(oauth.length, kind).toBe(cell.flows.length);
      for (const hop of oauth) {
        expect(hop.replica, kind).toBeUndefined();
        expect(new URL(hop.url).origin, kind).not.toBe(balancer);
      }
    }
    // Round-robin over two replicas: the requests of each MCP session reached both, and every flow completed (the store shares the sessions).
    expect(new Set(hops.filter((hop) => hop.kind === 'initialize' || hop.kind === 'tool-call' || hop.kind === 'other').map((hop) => hop.replica))).toEqual(new Set(['a', 'b']));
    expect(cell.completed).toBe(cell.flows.length);
  }, 60_000);
});

describe('the user played in Chromium', () => {
  // Debian's chromium (.ci/run installs it): the browser's navigations are hops like the HTTP user agent's, each with its replica.
  const chosen = (name: string, store: string) => plannedRemoteCells(scenarios, targets[0]!).find((c) => c.scenario.name === name && c.store === store)!;
  let browser: Browser;
  beforeAll(async () => {
    const missing = chromiumMissing();
    if (missing) throw new Error(missing);
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  test.each([
    ['two-replicas-roundrobin', 'memory'],
    ['rolling-restart', 'memory'],
    ['two-replicas-roundrobin', 'redis'],
  ] as const)('%s × %s: as its scenario expects, the browser\'s navigations recorded with their replicas', async (scenarioName, store) => {
    const { scenario, expected } = chosen(scenarioName, store);
    const cell = await runRemoteCell({ target: targets[0]!, scenario, store, expected, mock, run, browser });
    expect(cell.matched, say(cell)).toBe(true);
    const history = readFileSync(path.join(run.dir, cell.historyFile), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; hops?: { by: string; kind: string; replica?: string }[] });
    const authorize = history.flatMap((line) => line.hops ?? []).filter((hop) => hop.by === 'user-agent' && hop.kind === 'authorize');
    expect(authorize.length).toBe(cell.flows.length);
    for (const hop of authorize) expect(hop.replica).toMatch(/^[ab]$/);
    if (scenario.events.length) expect(history.filter((line) => line.type === 'event').length).toBe(cell.flows.length);
  }, 120_000);
});

describe('the MCP conformance suite through the balancer, against the SDK example', () => {
  test('through one replica it passes what the example supports; through two round-robin replicas no flow completes, no token is had, and every scenario fails as expected', async () => {
    const target = targets[1]!;
    const conformance = await conformanceSuiteFor(run);
    expect(conformance, 'the conformance suite could not be installed').toHaveProperty('suite');
    const chosen = scenarios.filter((s) => s.name === 'one-replica' || s.name === 'two-replicas-roundrobin');
    const cells = await runRemoteTable({ target, cells: plannedRemoteCells(chosen, target), mock, run, conformance });
    const control = cells.find((cell) => cell.scenario === 'one-replica')!.conformance!;
    const passed = control.scenarios.filter((s) => s.outcome === 'pass').map((s) => s.name);
    expect(control.control).toBe(true);
    expect(control.bearer).toMatch(/bearer token of flow/);
    // The example answers initialize, ping and tools/list once authorized; it has none of the suite's own test tools.
    expect(passed).toEqual(expect.arrayContaining(['server-initialize', 'ping', 'tools-list']));
    expect(passed).not.toContain('tools-call-image');
    const roundRobin = cells.find((cell) => cell.scenario === 'two-replicas-roundrobin')!.conformance!;
    expect(roundRobin.bearer).toMatch(/^none/);
    expect(roundRobin.scenarios.filter((s) => s.outcome === 'pass')).toEqual([]);
    expect(roundRobin.judged).toMatchObject({ matched: true, unexpectedFail: [], unexpectedPass: [] });
  }, 300_000);
});
