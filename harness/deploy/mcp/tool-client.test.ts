/**
 * A tool process that floods its stdout with lines that are not MCP used to
 * end in a bare "MCP error -32001: Request timed out". The timeout now names
 * the process and what it printed, and keeps the SDK's error as its cause.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatBytes, formatCount } from '../process/byte-size.ts';
import { spawnChild, stopAllChildren } from '../process/child-process.ts';
import { ToolClient } from './tool-client.ts';
import { ToolRequestError } from './tool-output-evidence.ts';

const FLOODER = path.join(import.meta.dirname, 'test-fixtures', 'flooding-tool-process.mjs');
const logDir = mkdtempSync(path.join(os.tmpdir(), 'tool-client-test-'));
/** flooding-tool-process.mjs prints lines of this many bytes, then "flood done". */
const FLOOD_LINE_BYTES = 123;

/** The error a promise rejects with; fulfilment fails the test. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

afterAll(async () => {
  await stopAllChildren({ graceMs: 500 });
  rmSync(logDir, { recursive: true, force: true });
});

async function floodedClient(name: string, count: number) {
  const child = spawnChild({ name, command: process.execPath, args: [FLOODER, String(count)], env: {}, logDir });
  const client = await ToolClient.connect(child);
  // Waits for the flood to have passed through the client (its last line), not for a time.
  await child.waitForLine('stdout', (line) => (line === 'flood done' ? true : undefined), 'the end of the flood');
  return { child, client, printed: { bytes: count * FLOOD_LINE_BYTES + 'flood done\n'.length, lines: count + 1 } };
}

describe('a request to a tool process that floods its stdout', () => {
  test('times out naming the process and how much it printed that was not MCP', async () => {
    const { child, client, printed } = await floodedClient('flooding.tool', 20_000);
    expect(client.nonMcpLines).toBe(printed.lines);
    const failure = await failureOf(client.call('anything', {}, 300));
    expect(failure).toBeInstanceOf(ToolRequestError);
    expect(failure.message).toBe(
      `MCP error -32001: Request timed out (tool process flooding.tool, pid ${child.pid}, printed ${formatBytes(printed.bytes)} on stdout that was not MCP: ${formatCount(printed.lines)} lines; see its log ${child.logPath})`,
    );
    expect(failure.cause).toBeInstanceOf(McpError);
    expect((failure.cause as McpError).code).toBe(ErrorCode.RequestTimeout);
    expect(failure).toMatchObject({ mcpCode: ErrorCode.RequestTimeout, pid: child.pid, printed: { stdoutNotMcp: printed } });
    await client.close();
  });

  test('a few stray lines are named too when the request timed out', async () => {
    const { child, client, printed } = await floodedClient('stray-lines.tool', 3);
    const failure = await failureOf(client.call('anything', {}, 200));
    expect(failure.message).toBe(
      `MCP error -32001: Request timed out (tool process stray-lines.tool, pid ${child.pid}, printed ${printed.bytes} B on stdout that was not MCP: 4 lines; see its log ${child.logPath})`,
    );
    await client.close();
  });
});
