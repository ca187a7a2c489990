/**
 * harness/deploy/mcp/: the real MCP client (official SDK) over a spawned tool process.
 *
 * The harness as a real MCP client (official SDK) of a tool process.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { exitStatus, type RunningChild } from '../process/child-process.ts';
import { ChildProcessTransport } from './child-process-transport.ts';
import { withOutputEvidence } from './tool-output-evidence.ts';

export interface ToolCallResult {
  isError: boolean;
  text: string;
  structuredContent?: Record<string, unknown>;
  content: unknown[];
}

export class ToolClient {
  private constructor(
    private readonly client: Client,
    readonly child: RunningChild,
    private readonly transport: ChildProcessTransport,
  ) {}

  /** Non-MCP lines seen on the tool process's stdout so far. */
  get nonMcpLines(): number {
    return this.transport.nonMcpLines;
  }

  /** Connecting performs the MCP initialize handshake: the tool process's readiness. */
  static async connect(child: RunningChild, timeoutMs = 20_000): Promise<ToolClient> {
    const client = new Client({ name: 'oauth-state-repro-harness', version: '0.1.0' });
    const transport = new ChildProcessTransport(child);
    // A stray stdout line is counted by the transport; the SDK's default would only log it.
    client.onerror = () => undefined;
    const connected = client.connect(transport, { timeout: timeoutMs });
    const exitedFirst = child.exited.then((info) => {
      throw child.startError(`exited during MCP initialize (${exitStatus(info)})`);
    });
    // Handled now: the process exits later whether or not initialize failed first.
    exitedFirst.catch(() => undefined);
    await Promise.race([connected.catch((error: unknown) => Promise.reject(withOutputEvidence(error, child, transport.nonMcp))), exitedFirst]);
    return new ToolClient(client, child, transport);
  }

  async listToolNames(): Promise<string[]> {
    const { tools } = await this.explained(this.client.listTools());
    return tools.map((tool) => tool.name);
  }

  async call(name: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<ToolCallResult> {
    const result = await this.explained(this.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs }));
    const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
    const text = content
      .map((item) => (item as { type?: string; text?: string }).text ?? '')
      .filter(Boolean)
      .join('\n');
    return {
      isError: result.isError === true,
      text,
      structuredContent: result.structuredContent as Record<string, unknown> | undefined,
      content,
    };
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  /** A failed request names the tool process's output when that may be why it failed. */
  private async explained<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (error) {
      throw withOutputEvidence(error, this.child, this.transport.nonMcp);
    }
  }
}
