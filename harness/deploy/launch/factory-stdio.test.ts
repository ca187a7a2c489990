/**
 * The launcher as a real process: an MCP client gets through initialize to
 * the factory's tools, stdout carries nothing but MCP, closing stdin ends it,
 * and each failure is one stderr line with its exit status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { ToolClient } from '../mcp/tool-client.ts';
import { spawnChild, type RunningChild } from '../process/child-process.ts';

const LAUNCHER = path.join(import.meta.dirname, 'factory-stdio.ts');
const FIXTURES = path.join(import.meta.dirname, 'test-fixtures');
const dir = mkdtempSync(path.join(os.tmpdir(), 'factory-stdio-test-'));
const children: RunningChild[] = [];
let count = 0;

function launch(args: string[]): RunningChild {
  const child = spawnChild({
    name: `factory-stdio-${++count}`,
    command: process.execPath,
    args: ['--import', 'tsx', LAUNCHER, ...args],
    env: {},
    logDir: dir,
  });
  children.push(child);
  return child;
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop({ graceMs: 500 })));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('factory-stdio', () => {
  test('serves the default export over stdio with the config, and leaves the target its own flags', async () => {
    const child = launch(['--module', path.relative(process.cwd(), path.join(FIXTURES, 'factories.ts')), '--config', '{"site":"acme"}', '--http-server']);
    const client = await ToolClient.connect(child);
    expect(await client.listToolNames()).toEqual(['show_config']);
    const shown = JSON.parse((await client.call('show_config')).text) as { config: unknown; argv: string[] };
    expect(shown.config).toEqual({ site: 'acme' });
    expect(shown.argv).toContain('--http-server');
    await client.close();
    // stdout carried MCP only: every line is a JSON-RPC message.
    expect(child.stdout.lines.every((line) => (JSON.parse(line) as { jsonrpc?: string }).jsonrpc === '2.0')).toBe(true);
  });

  test('a low-level Server from a named export; closing stdin ends the process with 0', async () => {
    const child = launch(['--module', path.join(FIXTURES, 'factories.ts'), '--export', 'lowLevel']);
    const client = await ToolClient.connect(child);
    expect(await client.listToolNames()).toEqual(['low_level_tool']);
    child.subprocess.stdin?.end();
    expect(await child.exited).toMatchObject({ code: 0, stoppedBy: 'self' });
  });

  // The other failures are the same path (load-factory-server.test.ts has each one in-process).
  test.each([
    [['--module', 'nowhere/server.ts'], 2, /^factory-stdio: module not found: .*nowhere\/server\.ts$/],
    [['--module', path.join(FIXTURES, 'factories.ts'), '--export', 'throws'], 2, /threw: Error: JIRA_TOKEN is required$/],
    [['--export', 'x'], 64, /^factory-stdio: --module: expected a path/],
  ])('%j: one stderr line, exit %i', async (args, code, line) => {
    const child = launch(args);
    const exit = await child.exited;
    expect(exit.code).toBe(code);
    expect(child.stderr.lines.filter(Boolean)).toEqual([expect.stringMatching(line)]);
    expect(child.stdout.lines).toEqual([]);
  });
});
