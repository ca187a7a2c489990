/**
 * The launcher's command line: `--module <path> [--export <name>] [--config <json>]`.
 * Other arguments are left alone on purpose: a factory-style server often
 * sniffs process.argv itself (`--http-server`), and the launcher must not
 * reject or eat what the target looks for.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LaunchError } from './launch-error.ts';

export interface FactoryLaunch {
  /** Absolute path of the module that exports the factory. */
  modulePath: string;
  exportName: string;
  /** Passed to the factory as `{ config }`. */
  config: Record<string, unknown>;
}

export const USAGE = 'usage: factory-stdio --module <path> [--export <name>] [--config <json object>]';

export function parseFactoryArgs(argv: readonly string[], cwd: string): FactoryLaunch {
  const { values } = parseArgs({
    args: [...argv],
    options: { module: { type: 'string' }, export: { type: 'string' }, config: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const modulePath = values.module;
  if (typeof modulePath !== 'string' || modulePath === '') throw new LaunchError('usage', `--module: expected a path to the module exporting the factory. ${USAGE}`);
  const exportName = values.export ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') throw new LaunchError('usage', `--export: expected an export name. ${USAGE}`);
  return { modulePath: path.resolve(cwd, modulePath), exportName, config: parseConfig(values.config) };
}

function parseConfig(raw: string | boolean | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== 'string') throw new LaunchError('usage', `--config: expected a JSON object after it. ${USAGE}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new LaunchError('usage', `--config: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LaunchError('usage', `--config: expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}
