// Factory exports in every shape the launcher must accept or reject, one per export.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** The common shape: an McpServer whose one tool shows the config it was given. */
export default function createServer({ config }: { config: Record<string, unknown> }): McpServer {
  const server = new McpServer({ name: 'factory-fixture', version: '1.0.0' });
  server.registerTool('show_config', { description: 'Returns the config the factory received' }, async () => ({
    content: [{ type: 'text', text: JSON.stringify({ config, argv: process.argv.slice(2) }) }],
  }));
  return server;
}

/** A low-level Server, as older servers build them. */
export function lowLevel(): Server {
  const server = new Server({ name: 'low-level-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'low_level_tool', inputSchema: { type: 'object' } }] }));
  return server;
}

/** Some factories are async. */
export async function asyncFactory({ config }: { config: Record<string, unknown> }): Promise<McpServer> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return createServer({ config });
}

/** Something with `.server` but no connect of its own (a wrapper around the SDK server). */
export function wrapped(): { server: Server } {
  return { server: lowLevel() };
}

export function throws(): never {
  throw new Error('JIRA_TOKEN is required\n    at somewhere (stack line that must not reach the one-line error)');
}

export function notAServer(): { tools: string[] } {
  return { tools: ['start_oauth'] };
}

export const notAFunction = { name: 'config object, not a factory' };
