/**
 * From a module path to something that can be connected to a transport:
 * import the module, take the factory export, call it with `{ config }` (the
 * shape MCP hosting platforms call), and find the SDK server in what it
 * returns. Every way this can go wrong is a LaunchError naming the module and
 * the export.
 *
 * The server is recognised by shape, not instanceof: a cloned target brings
 * its own copy of @modelcontextprotocol/sdk, whose classes are not ours.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FactoryLaunch } from './factory-args.ts';
import { LaunchError, firstLineOf } from './launch-error.ts';

/** What both an SDK McpServer and a low-level Server offer. */
export interface ConnectableServer {
  connect(transport: Transport): Promise<void>;
  close?(): Promise<void>;
}

export async function loadFactoryServer(launch: FactoryLaunch): Promise<ConnectableServer> {
  const { modulePath, exportName, config } = launch;
  // Checked before importing so "not found" names the file the user gave, not a dependency deep inside it.
  if (!existsSync(modulePath)) throw new LaunchError('module_not_found', `module not found: ${modulePath}`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    throw new LaunchError('module_failed_to_load', `module ${modulePath} failed to load: ${firstLineOf(error)}`);
  }
  if (!(exportName in exports)) {
    const available = Object.keys(exports).join(', ') || 'none';
    throw new LaunchError('export_missing', `module ${modulePath} has no export "${exportName}" (exports: ${available})`);
  }
  const factory = exports[exportName];
  if (typeof factory !== 'function') {
    throw new LaunchError('export_not_a_function', `export "${exportName}" of ${modulePath} is ${describe(factory)}, not a factory function`);
  }
  let result: unknown;
  try {
    result = await factory({ config });
  } catch (error) {
    throw new LaunchError('factory_threw', `factory "${exportName}" of ${modulePath} threw: ${firstLineOf(error)}`);
  }
  const server = connectableIn(result);
  if (!server) {
    throw new LaunchError('not_a_server', `factory "${exportName}" of ${modulePath} returned ${describe(result)}, not an MCP server (expected an McpServer or Server with connect())`);
  }
  return server;
}

/** An McpServer has connect() itself and its low-level Server as `.server`; a Server has connect(). */
function connectableIn(value: unknown): ConnectableServer | undefined {
  if (hasConnect(value)) return value;
  if (typeof value === 'object' && value !== null && hasConnect((value as { server?: unknown }).server)) {
    return (value as { server: ConnectableServer }).server;
  }
  return undefined;
}

function hasConnect(value: unknown): value is ConnectableServer {
  return typeof value === 'object' && value !== null && typeof (value as { connect?: unknown }).connect === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'a plain object';
}
