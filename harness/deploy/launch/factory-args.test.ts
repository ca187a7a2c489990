import { describe, expect, test } from 'vitest';
import { parseFactoryArgs } from './factory-args.ts';
import { LaunchError } from './launch-error.ts';

const usageError = (argv: string[]): LaunchError => {
  try {
    parseFactoryArgs(argv, '/cwd');
  } catch (error) {
    if (error instanceof LaunchError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
};

describe('factory-stdio arguments', () => {
  test('a relative --module resolves against cwd; export defaults to "default", config to {}', () => {
    expect(parseFactoryArgs(['--module', 'src/server.ts'], '/cwd')).toEqual({ modulePath: '/cwd/src/server.ts', exportName: 'default', config: {} });
  });

  test('an absolute --module, --export and --config (also in --name=value form)', () => {
    expect(parseFactoryArgs(['--module=/abs/s.ts', '--export', 'createServer', '--config', '{"debug":true}'], '/cwd')).toEqual({
      modulePath: '/abs/s.ts',
      exportName: 'createServer',
      config: { debug: true },
    });
  });

  test("the target's own flags are left alone, not rejected", () => {
    expect(parseFactoryArgs(['--module', 'm.ts', '--http-server', 'positional'], '/cwd').modulePath).toBe('/cwd/m.ts');
  });

  test.each([
    [[], /^--module: expected a path/],
    [['--module'], /^--module: expected a path/],
    [['--module', 'm.ts', '--config', '{not json'], /^--config: not valid JSON/],
    [['--module', 'm.ts', '--config', '[1]'], /^--config: expected a JSON object, got an array$/],
    [['--module', 'm.ts', '--config', 'null'], /^--config: expected a JSON object, got null$/],
    [['--module', 'm.ts', '--config'], /^--config: expected a JSON object after it/],
  ])('%j is a usage error (exit 64) naming the option', (argv, message) => {
    const error = usageError(argv);
    expect(error.code).toBe('usage');
    expect(error.exitCode).toBe(64);
    expect(error.message).toMatch(message);
  });
});
