import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { LaunchError, type LaunchErrorCode } from './launch-error.ts';
import { loadFactoryServer } from './load-factory-server.ts';

const FACTORIES = path.join(import.meta.dirname, 'test-fixtures', 'factories.ts');
const load = (exportName: string, modulePath = FACTORIES) => loadFactoryServer({ modulePath, exportName, config: { site: 'acme' } });

async function failure(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof LaunchError)) throw new Error(`expected a LaunchError, got ${String(error)}`);
  return error;
}

describe('loadFactoryServer', () => {
  test.each(['default', 'lowLevel', 'asyncFactory', 'wrapped'])('export "%s" gives something with connect()', async (name) => {
    const server = await load(name);
    expect(typeof server.connect).toBe('function');
  });

  test.each<[string, string, LaunchErrorCode, RegExp]>([
    ['default', path.join(import.meta.dirname, 'test-fixtures', 'absent.ts'), 'module_not_found', /^module not found: .*absent\.ts$/],
    ['default', path.join(import.meta.dirname, 'test-fixtures', 'throws-on-import.ts'), 'module_failed_to_load', /failed to load: Error: DATABASE_URL is not set$/],
    ['createServer', FACTORIES, 'export_missing', /has no export "createServer" \(exports: .*default.*\)$/],
    ['notAFunction', FACTORIES, 'export_not_a_function', /export "notAFunction" of .* is a plain object, not a factory function$/],
    ['throws', FACTORIES, 'factory_threw', /factory "throws" of .* threw: Error: JIRA_TOKEN is required$/],
    ['notAServer', FACTORIES, 'not_a_server', /returned a plain object, not an MCP server \(expected an McpServer or Server with connect\(\)\)$/],
  ])('export "%s" of %s: %s, one line', async (name, modulePath, code, message) => {
    const error = await failure(load(name, modulePath));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
