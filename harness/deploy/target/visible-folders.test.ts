/** The folders a target names, found from its description: what exists, in whatever form a command line names it. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { cacheRoot, PROJECT_ROOT, type RunFolder } from '../../core/run-folder.ts';
import type { TargetDescription } from './target-description.ts';
import { foldersNamedBy, foldersOnCommandLine, foldersVisibleOnHost } from './visible-folders.ts';

const root = mkdtempSync('/tmp/visible-folders-test-');
const dir = (...parts: string[]) => {
  const full = path.join(root, ...parts);
  mkdirSync(full, { recursive: true });
  return full;
};
const file = (...parts: string[]) => {
  dir(...parts.slice(0, -1));
  const full = path.join(root, ...parts);
  writeFileSync(full, '');
  return full;
};

afterAll(() => rmSync(root, { recursive: true, force: true }));

const ready = { kind: 'mcp-initialize' } as const;

function description(overrides: Partial<TargetDescription>): TargetDescription {
  return {
    name: 't',
    source: { file: path.join(dir('target-files'), 'their.target.ts') },
    cwd: dir('cwd'),
    tool: { command: 'node', args: [], ready },
    callback: { command: 'node', args: [], ready },
    both: { command: 'node', args: [], ready },
    port: 'assigned',
    callbackPath: '/oauth/callback',
    healthPath: null,
    env: () => ({}),
    providerHosts: 'from-env',
    provider: 'atlassian',
    runtime: 'node',
    tools: { startFlow: 'start', startFlowArgs: {} },
    authorizeUrlFrom: () => undefined,
    callbackPage: { success: /ok/, invalidState: /no/ },
    stores: {},
    stdoutMayCarryNonMcp: false,
    ...overrides,
  };
}

describe('foldersOnCommandLine', () => {
  test('an existing file gives its folder, a folder itself; relative to cwd; in --name=value and file: URL forms too', () => {
    const entry = file('checkout', 'dist', 'index.js');
    const preload = file('preloads', 'p.mjs');
    const data = dir('data');
    const cwd = dir('cwd');
    file('cwd', 'local.js');
    const line = { command: 'node', args: [entry, `--import=${pathToFileURL(preload).href}`, `--data=${data}`, 'local.js', '--flag', 'not-a-path', '{"json":true}'] };
    expect(foldersOnCommandLine(line, cwd).sort()).toEqual([path.dirname(entry), path.dirname(preload), data, cwd].sort());
  });

  test('a command given by path counts; a bare command name is left to PATH; paths that do not exist give nothing', () => {
    const binary = file('tools', 'bin', 'server');
    expect(foldersOnCommandLine({ command: binary, args: ['/nowhere/at/all.js', 'x'.repeat(5000)] }, root)).toEqual([path.dirname(binary)]);
    expect(foldersOnCommandLine({ command: 'python3', args: [] }, root)).toEqual([]);
  });

  test('a link is followed: the folder it points to is named as well as the link', () => {
    const real = file('real-checkout', 'index.js');
    symlinkSync(path.join(root, 'real-checkout'), path.join(root, 'linked-checkout'), 'dir');
    expect(foldersOnCommandLine({ command: 'node', args: [path.join(root, 'linked-checkout', 'index.js')] }, root)).toEqual([path.join(root, 'linked-checkout'), path.dirname(real)]);
  });
});

describe('foldersNamedBy', () => {
  test('cwd, the target file\'s folder, the store and factory modules, every process\'s command line and the build\'s, each once', () => {
    const target = description({
      build: { command: 'npm', args: ['run', 'build', '--', `--outDir=${dir('build-out')}`] },
      tool: { command: 'node', args: [file('checkout-a', 'dist', 'tool.js')], ready },
      callback: { command: 'node', args: [file('checkout-a', 'dist', 'callback.js')], ready },
      both: { args: ['--http-server'], ready },
      storeModule: file('checkout-a', 'src', 'stores.ts'),
      launch: { modulePath: file('checkout-b', 'lib', 'factory.js'), exportName: 'default', config: () => ({}) },
    });
    expect(foldersNamedBy(target).sort()).toEqual(
      [
        path.join(root, 'cwd'),
        path.join(root, 'target-files'),
        path.join(root, 'checkout-a', 'src'),
        path.join(root, 'checkout-b', 'lib'),
        path.join(root, 'checkout-a', 'dist'),
        path.join(root, 'build-out'),
      ].sort(),
    );
  });

  test('a factory module not built yet still names its folder when that exists', () => {
    const target = description({ launch: { modulePath: path.join(dir('checkout-c', 'dist'), 'index.js'), exportName: 'default', config: () => ({}) } });
    expect(foldersNamedBy(target)).toContain(path.join(root, 'checkout-c', 'dist'));
  });
});

describe('foldersVisibleOnHost', () => {
  test('the target\'s folders, the started command line\'s, the harness\'s own (project, compile cache, run folder) and the host\'s home', () => {
    const run = { dir: dir('runs', 'r1'), logDir: dir('runs', 'r1', 'logs') } as RunFolder;
    const host = { name: 'a', tmp: dir('hosts', 'a', 'tmp'), home: dir('hosts', 'a', 'home') };
    const launcher = file('cache', 'factory-stdio-1', 'factory-stdio.js');
    const folders = foldersVisibleOnHost({ target: description({}), run, host, started: { command: process.execPath, args: [launcher] } });
    expect(folders).toEqual(expect.arrayContaining([path.resolve(PROJECT_ROOT), path.resolve(cacheRoot()), run.dir, run.logDir, host.home, path.join(root, 'cwd'), path.dirname(launcher)]));
    expect(new Set(folders).size).toBe(folders.length);
  });
});
