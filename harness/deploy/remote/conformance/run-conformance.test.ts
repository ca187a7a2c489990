/**
 * The real conformance suite, installed from the npm registry into the
 * harness's cache (or found there), run against the MCP SDK's example
 * server as a real process: the scenarios the example supports pass, those
 * it does not fail with the suite's reason, a chosen few run alone, a
 * deadline turns what it cut short into errors, and an install that cannot
 * reach the registry, or two installing at once, end as they should.
 *
 * Not skipped when the suite cannot be installed: it fails with the
 * installer's message (the registry is reachable wherever the project's
 * own `npm ci` ran).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnChild, type RunningChild } from '../../process/child-process.ts';
import { freePort } from '../../process/free-port.ts';
import { sdkExampleServerPath } from '../test-fixtures/sdk-example-server.ts';
import { CONFORMANCE_PINS, conformanceSuiteFolder, ensureConformanceSuite, type ConformanceInstallError, type ConformanceSuite } from './conformance-install.ts';
import { ConformanceRunError, listServerScenarios, runConformanceServerScenarios, type ConformanceResult } from './run-conformance.ts';

const INSTALL_FIXTURE = fileURLToPath(new URL('./test-fixtures/install-suite.ts', import.meta.url));
/** A cold install is seconds on a good link; minutes on a slow one are still a pass. */
const INSTALL_TIMEOUT_MS = 300_000;
const MCP_LISTENING = /MCP Streamable HTTP Server listening on port (\d+)/;

/** The scenarios the example server (no --oauth) has what they need for. */
const EXAMPLE_PASSES = ['server-initialize', 'logging-set-level', 'ping', 'tools-list', 'tools-call-error', 'server-sse-multiple-streams', 'resources-list', 'prompts-list', 'dns-rebinding-protection'];

let scratch: string;
let suite: ConformanceSuite;
let server: RunningChild;
let url: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'conformance-test-'));
  suite = await ensureConformanceSuite();
  const port = await freePort();
  server = spawnChild({ name: 'sdk-example-server', command: process.execPath, args: [sdkExampleServerPath()], env: { MCP_PORT: String(port) }, logDir: scratch });
  await server.waitForLine('stdout', (line) => (MCP_LISTENING.test(line) ? true : undefined), 'its MCP listener', 15_000);
  url = `http://127.0.0.1:${port}/mcp`;
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await server?.stop({ graceMs: 1000 });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const byName = (result: ConformanceResult) => new Map(result.scenarios.map((s) => [s.name, s]));

describe('the suite installed', () => {
  it('is the pinned version, on the pinned Node, and a second look finds it in the cache', async () => {
    expect(suite.version).toBe(CONFORMANCE_PINS.conformance);
    expect(suite.node).toContain(conformanceSuiteFolder());
    const again = await ensureConformanceSuite();
    expect(again).toEqual({ ...suite, installedNow: false });
  });

  it('lists its server scenarios', async () => {
    const names = await listServerScenarios(suite, scratch);
    expect(names).toHaveLength(32);
    expect(names).toEqual(expect.arrayContaining([...EXAMPLE_PASSES, 'tools-call-image', 'completion-complete']));
  });
});

describe('against the SDK example server', () => {
  it('runs every server scenario: those the example supports pass, the others fail with the suite\'s reason', async () => {
    const result = await runConformanceServerScenarios({ url, suite, logDir: scratch });
    expect(result.version).toBe(CONFORMANCE_PINS.conformance);
    expect(result.url).toBe(url);
    expect(result.scenarios.map((s) => s.name)).toEqual(await listServerScenarios(suite, scratch));
    const outcomes = byName(result);
    for (const name of EXAMPLE_PASSES) expect(outcomes.get(name), name).toMatchObject({ outcome: 'pass' });
    // The example has no image tool and no completion handler.
    expect(outcomes.get('tools-call-image')).toMatchObject({ outcome: 'fail', detail: 'ToolsCallImage: No image content found' });
    expect(outcomes.get('completion-complete')).toMatchObject({ outcome: 'fail', detail: expect.stringContaining('Method not found') });
    expect(result.scenarios.filter((s) => s.outcome === 'error')).toEqual([]);
    // Its results stay in the run's folder, for reading.
    expect(readdirSync(path.join(result.runDir!, 'results'))).toHaveLength(32);
  });

  it('runs only the scenarios asked for, in the order asked', async () => {
    const result = await runConformanceServerScenarios({ url, suite, scenarios: ['tools-call-image', 'ping'], logDir: scratch });
    expect(result.scenarios.map((s) => [s.name, s.outcome])).toEqual([
      ['tools-call-image', 'fail'],
      ['ping', 'pass'],
    ]);
  });

  it('refuses a scenario the suite does not have, naming those it has', async () => {
    const run = runConformanceServerScenarios({ url, suite, scenarios: ['ping', 'no-such-scenario'], logDir: scratch });
    await expect(run).rejects.toThrow(ConformanceRunError);
    await expect(run).rejects.toMatchObject({ code: 'conformance_unknown_scenario', message: expect.stringMatching(/"no-such-scenario".*it has: server-initialize, /) });
  });
});

describe('when the server does not answer', () => {
  it('nothing listening: every scenario fails, saying the connection failed', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/mcp`;
    const result = await runConformanceServerScenarios({ url: nowhere, suite, scenarios: ['ping', 'tools-list'], logDir: scratch });
    expect(result.scenarios).toMatchObject([
      { name: 'ping', outcome: 'fail', detail: 'Ping: Failed: fetch failed' },
      { name: 'tools-list', outcome: 'fail', detail: expect.stringContaining('fetch failed') },
    ]);
  });

  it('a server that never answers: the deadline stops the suite, the scenario it was in errors as timed out, the rest as not run', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const started = Date.now();
      const result = await runConformanceServerScenarios({ url: `http://127.0.0.1:${port}/mcp`, suite, timeoutMs: 4000, logDir: scratch });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.scenarios).toHaveLength(32);
      expect(result.scenarios[0]).toEqual({ name: 'server-initialize', outcome: 'error', detail: "timed out: still running when the run's 4000 ms were spent" });
      for (const rest of result.scenarios.slice(1)) expect(rest).toMatchObject({ outcome: 'error', detail: "not run: the run's 4000 ms were spent before it" });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('installing', () => {
  it('an unreachable registry is said as such, quoting npm', async () => {
    const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
    const saved = { registry: process.env.npm_config_registry, retries: process.env.npm_config_fetch_retries, cache: process.env.npm_config_cache };
    // A port nothing listens on, no retries, and an empty npm cache (npm may answer from its cache when the registry is away).
    process.env.npm_config_registry = `http://127.0.0.1:${await freePort()}/`;
    process.env.npm_config_fetch_retries = '0';
    process.env.npm_config_cache = path.join(cacheDir, 'npm-cache');
    try {
      const install = ensureConformanceSuite({ cacheDir });
      await expect(install).rejects.toMatchObject({
        name: 'ConformanceInstallError',
        code: 'conformance_registry_unreachable',
        message: expect.stringMatching(/the npm registry cannot be reached[\s\S]*npm error code ECONNREFUSED/),
      } satisfies Partial<ConformanceInstallError>);
      // Nothing half-installed is left behind, at the final path or staged.
      expect(readdirSync(cacheDir).filter((name) => name.startsWith('conformance-0'))).toEqual([]);
    } finally {
      for (const [name, value] of [['npm_config_registry', saved.registry], ['npm_config_fetch_retries', saved.retries], ['npm_config_cache', saved.cache]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('two harnesses installing at once both get a working suite from the one folder that ends up in place', async () => {
    const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
    // What a harness killed mid-install leaves (its pid long gone): removed by the next install.
    const abandoned = `${conformanceSuiteFolder(cacheDir)}.4194305.tmp`;
    mkdirSync(path.join(abandoned, 'node_modules'), { recursive: true });
    // And an install damaged in place (no marker): replaced, not trusted.
    mkdirSync(path.join(conformanceSuiteFolder(cacheDir), 'node_modules'), { recursive: true });
    // The variables that say how to reach the registry go along, as the harness's own install takes them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(HOME|npm_config_\w+|https?_proxy|no_proxy)$/i.test(name)));
    const harnesses = [1, 2].map((n) => spawnChild({ name: `installing-harness-${n}`, command: process.execPath, args: ['--import', 'tsx', INSTALL_FIXTURE, cacheDir], env, logDir: scratch }));
    const exits = await Promise.all(harnesses.map((h) => h.exited));
    const answers = harnesses.map((h) => JSON.parse(h.stdout.lines.at(-1) ?? '{}') as Partial<ConformanceSuite> & { error?: string; message?: string });
    expect(exits.map((e) => e.code), JSON.stringify(answers)).toEqual([0, 0]);
    expect(answers[0]!.node).toBe(answers[1]!.node);
    // One of them installed it; the other either found it or lost the race to rename its own into place.
    expect(answers.filter((answer) => answer.installedNow)).toHaveLength(1);
    expect(answers[0]!.node).toContain(conformanceSuiteFolder(cacheDir));
    expect(readdirSync(cacheDir).filter((name) => name.startsWith('conformance-0'))).toEqual([path.basename(conformanceSuiteFolder(cacheDir))]);
    // What the folder holds runs.
    const result = await runConformanceServerScenarios({ url, suite: { ...suite, node: answers[0]!.node!, bin: answers[0]!.bin! }, scenarios: ['ping'], logDir: scratch });
    expect(result.scenarios).toMatchObject([{ name: 'ping', outcome: 'pass' }]);
  }, INSTALL_TIMEOUT_MS);
});
