/**
 * A server checked out anywhere under /tmp starts on a simulated host whose
 * /tmp is private: from a working directory elsewhere (its entry and the
 * packages above it still resolve), and from its own checkout as a factory
 * module through the harness's launcher, with a per-process config and the
 * host's home in view. The host's /tmp stays private all the same.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder, PROJECT_ROOT, type RunFolder } from '../core/run-folder.ts';
import { isolationMode, makeHost } from './hosts.ts';
import { ToolClient } from './mcp/tool-client.ts';
import { stopAllChildren } from './process/child-process.ts';
import type { MockAtlassian } from './services/mock-atlassian.ts';
import type { TargetFile } from './target/target-file.ts';
import { resolveTarget } from './target/load-target.ts';
import { deploymentIdentity, TargetLauncher } from './target-launcher.ts';

/** Under the real /tmp on purpose: that is where a private /tmp hides things. */
const scratch = mkdtempSync('/tmp/target-launcher-test-');
const checkout = path.join(scratch, 'jira-mcp');
const elsewhere = path.join(scratch, 'somewhere-else');
const targetFolder = path.join(scratch, 'target-files');
/** A file in the real /tmp, beside the checkout's folder, that no host may see. */
const secretFolder = mkdtempSync('/tmp/target-launcher-test-private-');
const secret = path.join(secretFolder, 'not-on-any-host.txt');

const ENTRY = [
  "import { greeting } from 'their-dependency';",
  "import { existsSync } from 'node:fs';",
  `const secretSeen = existsSync(${JSON.stringify(secret)});`,
  'console.log(JSON.stringify({ ready: "probe", url: "http://127.0.0.1:1", pid: process.pid }));',
  'console.log(JSON.stringify({ greeting, secretSeen, cwd: process.cwd() }));',
  'setInterval(() => undefined, 1000);',
].join('\n');

const FACTORY = [
  "import { existsSync } from 'node:fs';",
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { greeting } from './greeting.ts';",
  'export function createServer({ config }: { config: Record<string, unknown> }) {',
  "  const server = new McpServer({ name: 'their-server', version: '1.0.0' });",
  "  server.registerTool('show', { description: 'what this process sees' }, async () => ({",
  "    content: [{ type: 'text' as const, text: JSON.stringify({ config, greeting, homeSeen: existsSync(String(process.env.HOME)), secretSeen: existsSync(" + JSON.stringify(secret) + '), cwd: process.cwd() }) }],',
  '  }));',
  '  return server;',
  '}',
].join('\n');

let run: RunFolder;

beforeAll(() => {
  mkdirSync(path.join(checkout, 'dist'), { recursive: true });
  mkdirSync(path.join(checkout, 'src'), { recursive: true });
  mkdirSync(path.join(checkout, 'node_modules', 'their-dependency'), { recursive: true });
  mkdirSync(path.join(checkout, 'node_modules', '@modelcontextprotocol'), { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  mkdirSync(targetFolder, { recursive: true });
  // A checkout's own packages: one in the checkout, the MCP SDK linked to the project's (as a workspace would).
  writeFileSync(path.join(checkout, 'node_modules', 'their-dependency', 'package.json'), JSON.stringify({ name: 'their-dependency', type: 'module', exports: './index.js' }));
  writeFileSync(path.join(checkout, 'node_modules', 'their-dependency', 'index.js'), "export const greeting = 'hello from their node_modules';\n");
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules', '@modelcontextprotocol', 'sdk'), path.join(checkout, 'node_modules', '@modelcontextprotocol', 'sdk'), 'dir');
  writeFileSync(path.join(checkout, 'package.json'), JSON.stringify({ name: 'jira-mcp', type: 'module' }));
  writeFileSync(path.join(checkout, 'dist', 'server.mjs'), ENTRY);
  writeFileSync(path.join(checkout, 'src', 'greeting.ts'), "export const greeting: string = 'hello from their TypeScript';\n");
  writeFileSync(path.join(checkout, 'src', 'index.ts'), FACTORY);
  writeFileSync(secret, 'the real /tmp');
  run = createRunFolder(undefined, 'target-launcher-test');
});

afterAll(async () => {
  await stopAllChildren({ graceMs: 500 });
  rmSync(scratch, { recursive: true, force: true });
  rmSync(secretFolder, { recursive: true, force: true });
});

function targetFile(overrides: Partial<TargetFile>): TargetFile {
  return {
    name: 'a checkout under /tmp',
    callback: { command: 'node', args: [path.join(checkout, 'dist', 'server.mjs')], ready: { kind: 'json', stream: 'stdout', service: 'probe' } },
    both: { command: 'node', args: ['dist/server.mjs'], ready: { kind: 'json', stream: 'stdout', service: 'probe' } },
    port: 'assigned',
    env: () => ({}),
    providerHosts: 'from-env',
    runtime: 'node',
    startFlow: { tool: 'show', authorizeUrl: { field: 'url' } },
    callbackPage: { success: /ok/, invalidState: /invalid/ },
    stores: { memory: { reach: 'process' } },
    ...overrides,
  };
}

function launcherFor(file: TargetFile, label: string): TargetLauncher {
  const target = resolveTarget(file, path.join(targetFolder, 'their.target.ts'));
  // No flow runs here: the mock is only a URL the inputs name.
  const mock = { url: 'http://127.0.0.1:9' } as MockAtlassian;
  return new TargetLauncher({ target, store: 'memory', label, mock, run }, { clientId: `client-${label}`, clientSecret: 'secret' }, deploymentIdentity(label));
}

describe('a target checked out under /tmp, on a host with a private /tmp', () => {
  test('this machine gives each host a private /tmp (else there is nothing to see through)', () => {
    expect(isolationMode()).toMatchObject({ kind: 'mount-namespace' });
  });

  test('its entry, named by absolute path from a working directory elsewhere, loads with the packages above it', async () => {
    const launcher = launcherFor(targetFile({ cwd: elsewhere, tool: { command: 'node', args: [path.join(checkout, 'dist', 'server.mjs')] } }), 'explicit');
    const host = makeHost(run, 'explicit', 'a');
    const child = launcher.spawn('callback', 'explicit.callback', host, 1, undefined);
    await child.waitForReady('stdout', 'probe', 15_000);
    const said = await child.waitForLine('stdout', (line) => (line.includes('greeting') ? (JSON.parse(line) as Record<string, unknown>) : undefined), 'what it saw');
    expect(said).toEqual({ greeting: 'hello from their node_modules', secretSeen: false, cwd: elsewhere });
    await child.stop({ graceMs: 500 });
  });

  test("NODE_OPTIONS: the harness's preloads first, then the target's own options, each preload once; TMPDIR and HOME are the host's", async () => {
    // A preload of the measurement's, in a folder the target names (the harness's own live in the project, which is always in view).
    const preload = path.join(targetFolder, 'measurement-preload.mjs');
    writeFileSync(preload, 'globalThis.measurementPreloaded = true;\n');
    const script = [
      'console.log(JSON.stringify({ ready: "probe", url: "http://127.0.0.1:1", pid: process.pid }));',
      'const heap = require("node:v8").getHeapStatistics().heap_size_limit;',
      'console.log(JSON.stringify({ seen: { preloaded: globalThis.measurementPreloaded === true, bigHeap: heap > 3000 * 1024 * 1024, NODE_OPTIONS: process.env.NODE_OPTIONS, TMPDIR: process.env.TMPDIR, HOME: process.env.HOME } }));',
      'setInterval(() => undefined, 1000);',
    ].join(' ');
    const file = targetFile({
      cwd: path.relative(targetFolder, elsewhere),
      tool: { command: 'node', args: ['-e', script] },
      callback: { command: 'node', args: ['-e', script], ready: { kind: 'json', stream: 'stdout', service: 'probe' }, env: { NODE_OPTIONS: '--max-old-space-size=4096' } },
      env: () => ({ TMPDIR: '/their/tmp', HOME: '/their/home' }),
    });
    const target = resolveTarget(file, path.join(targetFolder, 'their.target.ts'));
    const mock = { url: 'http://127.0.0.1:9' } as MockAtlassian;
    const measurement = { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` };
    const launcher = new TargetLauncher({ target, store: 'memory', label: 'node-options', mock, run, extraEnv: measurement }, { clientId: 'c', clientSecret: 's' }, deploymentIdentity('node-options'));
    const host = makeHost(run, 'node-options', 'a');
    // Given again for this one process, as a measurement starting an extra callback does.
    const child = launcher.spawn('callback', 'node-options.callback', host, 1, undefined, measurement);
    const seen = await child.waitForLine('stdout', (line) => (line.includes('"seen"') ? (JSON.parse(line) as { seen: Record<string, unknown> }).seen : undefined), 'what it saw');
    expect(seen).toEqual({ preloaded: true, bigHeap: true, NODE_OPTIONS: `${measurement.NODE_OPTIONS} --max-old-space-size=4096`, TMPDIR: '/tmp', HOME: host.home });
    await child.stop({ graceMs: 500 });
  });

  test('a factory module in TypeScript, from its own checkout: the harness brings its launcher and tsx, the config is per process, the home is there', async () => {
    const file = targetFile({
      cwd: path.relative(targetFolder, checkout),
      launch: { factory: 'src/index.ts', export: 'createServer', config: (input) => ({ role: input.role, clientId: input.clientId, redirectUri: input.redirectUri }) },
    });
    const launcher = launcherFor(file, 'factory');
    const host = makeHost(run, 'factory', 'a');
    const child = launcher.spawn('tool', 'factory.tool', host, undefined, 'http://localhost:4321/oauth/callback');
    // Nothing of the harness or of tsx is in the checkout or the target file: the command line the harness made carries both.
    expect(child.spec.args.some((arg) => arg.includes('tsx'))).toBe(true);
    expect(existsSync(path.join(checkout, 'node_modules', 'tsx'))).toBe(false);
    const client = await ToolClient.connect(child);
    const shown = JSON.parse((await client.call('show')).text) as Record<string, unknown>;
    expect(shown).toEqual({
      config: { role: 'tool', clientId: 'client-factory', redirectUri: 'http://localhost:4321/oauth/callback' },
      greeting: 'hello from their TypeScript',
      homeSeen: true,
      secretSeen: false,
      cwd: checkout,
    });
    await client.close();
    await child.stop({ graceMs: 500 });
  });
});
