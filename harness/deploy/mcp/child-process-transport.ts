/**
 * An MCP client transport over a child the harness already spawned. The SDK's
 * StdioClientTransport spawns its own process; here every child comes from
 * harness/process so that logs, process groups and shutdown stay in one place.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { RunningChild } from '../process/child-process.ts';
import type { StreamVolume } from '../process/line-splitter.ts';

/** A flood of stray lines would otherwise make one Error (with its stack) per line. */
const REPORTED_NON_MCP_LINES = 20;

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private stopListening: (() => void) | undefined;
  private closed = false;
  /** What stdout carried that was not MCP messages (console.log in the tool process, say): lines, and bytes as printed. */
  readonly nonMcp: StreamVolume = { bytes: 0, lines: 0 };

  constructor(private readonly child: RunningChild) {}

  get nonMcpLines(): number {
    return this.nonMcp.lines;
  }

  async start(): Promise<void> {
    this.stopListening = this.child.stdout.onLine((line) => {
      if (!line.trim()) return;
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch (error) {
        // stdout must carry MCP only; anything else is a finding worth counting, and the session goes on.
        this.nonMcp.lines += 1;
        this.nonMcp.bytes += Buffer.byteLength(line) + 1;
        if (this.nonMcp.lines <= REPORTED_NON_MCP_LINES) {
          this.onerror?.(new Error(`non-MCP output on ${this.child.spec.name} stdout: ${line.slice(0, 200)} (${String(error)})`));
        }
        return;
      }
      try {
        this.onmessage?.(message);
      } catch (error) {
        // A throwing handler must not become an uncaught exception in the pipe's data event.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.child.stdout.onEnd(() => this.markClosed());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child.subprocess.stdin;
    if (!stdin || stdin.destroyed || this.closed) throw new Error(`${this.child.spec.name}: stdin is closed`);
    await new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening?.();
    this.onclose?.();
  }
}
