/** The command line for a factory module: the harness's own launcher and loader by absolute path, the config as JSON, the target's own flags last. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseFactoryArgs } from './factory-args.ts';
import { factoryLaunchCommand, factoryLauncherScript, tsxLoaderUrl } from './factory-command.ts';

const config = { site: 'https://acme.atlassian.net', nested: { list: [1, '--module=not-an-option'] } };

describe('factoryLaunchCommand', () => {
  test('a JavaScript module: plain node, the compiled launcher, and the launcher reads back what it was given', () => {
    const { command, args } = factoryLaunchCommand({ modulePath: '/srv/their/dist/index.js', exportName: 'createServer', config }, ['--http-server']);
    expect(command).toBe(process.execPath);
    expect(args[0]).toBe(factoryLauncherScript());
    expect(path.isAbsolute(args[0]!) && existsSync(args[0]!)).toBe(true);
    expect(args.slice(1)).toEqual(['--module=/srv/their/dist/index.js', '--export=createServer', `--config=${JSON.stringify(config)}`, '--http-server']);
    // What the launcher process will parse: a value that looks like an option inside the JSON stays in the config.
    expect(parseFactoryArgs(args.slice(1), '/elsewhere')).toEqual({ modulePath: '/srv/their/dist/index.js', exportName: 'createServer', config });
  });

  test.each(['index.ts', 'index.mts', 'index.cts', 'component.tsx'])('a TypeScript module (%s): the harness\'s tsx loader by file URL, not a bare "tsx" looked up from cwd', (name) => {
    const { args } = factoryLaunchCommand({ modulePath: `/srv/their/src/${name}`, exportName: 'default', config: {} });
    expect(args.slice(0, 2)).toEqual(['--import', tsxLoaderUrl()]);
    expect(existsSync(fileURLToPath(tsxLoaderUrl()))).toBe(true);
    expect(args[2]).toBe(factoryLauncherScript());
  });
});
