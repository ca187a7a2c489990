/**
 * A tool process that floods its stdout with lines that are not MCP makes the
 * harness's requests fail as "MCP error -32001: Request timed out", with
 * nothing pointing at the output. A failed request is given the process and
 * what it printed, so that the reader opens its log first; the SDK's error
 * stays as the cause.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { RunningChild } from '../process/child-process.ts';
import { describeOutput, FLOOD_BYTES } from '../process/flood-note.ts';
import type { StreamVolume } from '../process/line-splitter.ts';

export class ToolRequestError extends Error {
  override name = 'ToolRequestError';
  /** The MCP error code of the cause, when it has one (-32001: the request timed out). */
  readonly mcpCode: number | undefined;

  constructor(
    message: string,
    readonly child: string,
    readonly pid: number,
    readonly logPath: string,
    readonly printed: { stdoutNotMcp: StreamVolume; stderr: StreamVolume },
    options: { cause: unknown },
  ) {
    super(message, options);
    this.mcpCode = options.cause instanceof McpError ? options.cause.code : undefined;
  }
}

/**
 * `error` with the tool process's output named in its first line, when that
 * output may be why: a lot of it (more than FLOOD_BYTES on a stream), or any
 * stray stdout when the request timed out. Otherwise `error` itself.
 */
export function withOutputEvidence(error: unknown, child: RunningChild, stdoutNotMcp: StreamVolume): unknown {
  const timedOut = error instanceof McpError && error.code === ErrorCode.RequestTimeout;
  const stderr = child.printed('stderr');
  const named: string[] = [];
  if (stdoutNotMcp.bytes > FLOOD_BYTES || (timedOut && stdoutNotMcp.lines > 0)) named.push(describeOutput('stdout', stdoutNotMcp, 'that was not MCP'));
  if (stderr.bytes > FLOOD_BYTES) named.push(describeOutput('stderr', stderr));
  if (!named.length) return error;
  const [first = '', ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
  const evidence = `(tool process ${child.spec.name}, pid ${child.pid}, printed ${named.join(' and ')}; see its log ${child.logPath})`;
  return new ToolRequestError([`${first} ${evidence}`, ...rest].join('\n'), child.spec.name, child.pid, child.logPath, { stdoutNotMcp: { ...stdoutNotMcp }, stderr }, { cause: error });
}
