import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, test } from 'vitest';
import type { RunningChild } from '../process/child-process.ts';
import type { StreamVolume } from '../process/line-splitter.ts';
import { ToolRequestError, withOutputEvidence } from './tool-output-evidence.ts';

/** Only what the evidence reads of a child. */
function childThatPrinted(stderr: StreamVolume): RunningChild {
  return { spec: { name: 'x.tool' }, pid: 42, logPath: '/runs/logs/x.tool.log', printed: () => stderr } as unknown as RunningChild;
}

const timeout = () => new McpError(ErrorCode.RequestTimeout, 'Request timed out');
const quiet = { bytes: 0, lines: 0 };
const MiB = 1024 * 1024;

describe('withOutputEvidence', () => {
  test('a timeout from a process that printed nothing stray is left as it is', () => {
    const error = timeout();
    expect(withOutputEvidence(error, childThatPrinted({ bytes: 300, lines: 3 }), quiet)).toBe(error);
  });

  test('another failure with a few stray lines is left as it is', () => {
    const error = new McpError(ErrorCode.InvalidParams, 'bad arguments');
    expect(withOutputEvidence(error, childThatPrinted(quiet), { bytes: 40, lines: 2 })).toBe(error);
  });

  test('any failure, when a stream carried more than 1 MiB, names it; further lines of the message stay', () => {
    const error = new Error('Connection closed\nsecond line');
    const explained = withOutputEvidence(error, childThatPrinted({ bytes: 3 * MiB, lines: 30_000 }), { bytes: 2 * MiB, lines: 1_000 }) as ToolRequestError;
    expect(explained).toBeInstanceOf(ToolRequestError);
    expect(explained.message).toBe(
      'Connection closed (tool process x.tool, pid 42, printed 2.0 MiB on stdout that was not MCP: 1,000 lines and 3.0 MiB on stderr: 30,000 lines; see its log /runs/logs/x.tool.log)\nsecond line',
    );
    expect(explained.cause).toBe(error);
    expect(explained.mcpCode).toBeUndefined();
  });
});
