/**
 * Stdio entry for factory-style MCP servers, which ship no entry of their
 * own (`export default function createServer({ config })`, as hosting
 * platforms expect). A target file's `launch` runs it (factory-command.ts
 * builds the command line: this file compiled, tsx in front for a
 * TypeScript module): `factory-stdio.js --module <path> [--export <name>]
 * [--config <json>]`; anything else on the command line stays in
 * process.argv for the target to read.
 *
 * stdout belongs to MCP: this file never writes there (what the target
 * prints is the target's business, and the harness's finding). Failures are
 * one line on stderr, exit 64 for a bad command line, 2 for a module that
 * could not become a running server.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseFactoryArgs } from './factory-args.ts';
import { EXIT_LAUNCH_FAILED, LaunchError, firstLineOf } from './launch-error.ts';
import { loadFactoryServer } from './load-factory-server.ts';

const LABEL = 'factory-stdio';

function fail(error: unknown): never {
  const code = error instanceof LaunchError ? error.exitCode : EXIT_LAUNCH_FAILED;
  process.stderr.write(`${LABEL}: ${error instanceof LaunchError ? error.message : firstLineOf(error)}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const launch = parseFactoryArgs(process.argv.slice(2), process.cwd());
  const server = await loadFactoryServer(launch);
  try {
    await server.connect(new StdioServerTransport());
  } catch (error) {
    throw new LaunchError('connect_failed', `connecting ${launch.modulePath} to stdio failed: ${firstLineOf(error)}`);
  }
  // An MCP host stops a stdio server by closing its stdin. Exit then, even if
  // the target also opened an HTTP server that would keep the process alive.
  process.stdin.once('end', () => {
    void Promise.resolve(server.close?.()).finally(() => process.exit(0));
  });
}

main().catch(fail);
