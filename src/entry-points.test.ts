/**
 * The two entry points as real OS processes: their stdout/stderr contract,
 * readiness line, exit codes and shutdown, which the harness relies on.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
// transport.stderr is typed as a bare Stream; with stderr: 'pipe' it is a PassThrough.
import { afterEach, describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(SRC);
const NODE_ARGS = ['--import', 'tsx'];

const tempDirs: string[] = [];
const children: ResultPromise[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function baseEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'entry-points-'));
  tempDirs.push(dir);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: dir,
    TMPDIR: dir,
    ATLASSIAN_CLIENT_ID: 'cid',
    ATLASSIAN_CLIENT_SECRET: 'entry-point-secret',
    JIRA_COMPANY_URL: 'https://acme.atlassian.net',
    JIRA_USER_EMAIL: 'dev@acme.test',
    // Nothing listens on port 1: a token exchange fails fast, on loopback.
    ATLASSIAN_AUTH_URL: 'http://127.0.0.1:1',
    ATLASSIAN_API_URL: 'http://127.0.0.1:1',
    SESSION_STORE: 'memory',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function firstLine(stream: NodeJS.ReadableStream, match: (line: string) => boolean = () => true): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: stream });
    rl.on('line', (line) => {
      if (match(line)) {
        resolve(line);
        rl.close();
      }
    });
    rl.on('close', () => reject(new Error('stream ended before the expected line')));
  });
}

function spawnCallbackProcess(env: Record<string, string>): ResultPromise {
  const child = execa(process.execPath, [...NODE_ARGS, path.join(SRC, 'callback-process.ts')], {
    cwd: ROOT,
    env,
    extendEnv: false,
    stdin: 'pipe',
    reject: false,
  });
  children.push(child);
  return child;
}

describe('callback-process', () => {
  it('prints one ready line on stdout, serves /health, exits 0 on SIGTERM', async () => {
    const child = spawnCallbackProcess(baseEnv());
    const ready = JSON.parse(await firstLine(child.stdout!)) as { ready: string; url: string; pid: number };
    expect(ready).toEqual({ ready: 'callback', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), pid: child.pid });

    const health = await fetch(`${ready.url}/health`);
    expect(await health.json()).toEqual({ ok: true, store: 'memory', pid: child.pid });

    const page = await (await fetch(`${ready.url}/oauth/callback?code=c&state=from-another-process`)).text();
    expect(page).toContain('Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.');

    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim().split('\n')).toHaveLength(1);
    expect(String(result.stderr)).not.toContain('entry-point-secret');
  });

  it('exits when its stdin closes (the parent died)', async () => {
    const child = spawnCallbackProcess(baseEnv());
    await firstLine(child.stdout!);
    child.stdin!.end();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('stdin ended');
  });

  it('exits 2 naming a missing variable', async () => {
    const result = await spawnCallbackProcess(baseEnv({ ATLASSIAN_CLIENT_SECRET: undefined }));
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('Missing required environment variable ATLASSIAN_CLIENT_SECRET');
    expect(String(result.stdout)).toBe('');
  });
});

describe('tool-process', () => {
  it('speaks MCP on stdout and, with --serve-callback, announces the callback on stderr', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [...NODE_ARGS, path.join(SRC, 'tool-process.ts'), '--serve-callback'],
      cwd: ROOT,
      env: baseEnv(),
      stderr: 'pipe',
    });
    const readyLine = firstLine(transport.stderr as unknown as NodeJS.ReadableStream, (l) => l.startsWith('{"ready"'));
    const client = new Client({ name: 'entry-points-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      const ready = JSON.parse(await readyLine) as { ready: string; url: string; pid: number };
      expect(ready).toMatchObject({ ready: 'callback', pid: transport.pid });

      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['jira_whoami', 'oauth_status', 'start_oauth']);

      const started = await client.callTool({ name: 'start_oauth', arguments: {} });
      const { authUrl, state } = started.structuredContent as { authUrl: string; state: string };
      expect(new URL(authUrl).searchParams.get('redirect_uri')).toBe(`${ready.url}/oauth/callback`);

      // Same process, same static Map: the state is found, then the exchange
      // fails against the dead auth URL (502), which proves the lookup passed.
      const res = await fetch(`${ready.url}/oauth/callback?code=c&state=${state}`);
      expect(res.status).toBe(502);
      expect(await res.text()).toContain('data-outcome="token-exchange-failed"');
    } finally {
      await client.close();
    }
  });

  it('exits 2 naming a missing variable (OAUTH_REDIRECT_URI is required without --serve-callback)', async () => {
    const child = execa(process.execPath, [...NODE_ARGS, path.join(SRC, 'tool-process.ts')], {
      cwd: ROOT,
      env: baseEnv(),
      extendEnv: false,
      reject: false,
    });
    children.push(child);
    const result = await child;
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('Missing required environment variable OAUTH_REDIRECT_URI');
    expect(String(result.stdout)).toBe('');
  });

  it('exits when stdin closes', async () => {
    const child = execa(process.execPath, [...NODE_ARGS, path.join(SRC, 'tool-process.ts')], {
      cwd: ROOT,
      env: baseEnv({ OAUTH_REDIRECT_URI: 'http://127.0.0.1:9/oauth/callback' }),
      extendEnv: false,
      stdin: 'pipe',
      reject: false,
    });
    children.push(child);
    await firstLine(child.stderr!, (l) => l.includes('MCP server ready'));
    child.stdin!.end();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toBe('');
  });
});
