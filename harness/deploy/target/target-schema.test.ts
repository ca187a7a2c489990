/** The target file's schema on the `launch` form and the processes it may leave without a command: each problem one line naming the field. */
import { describe, expect, test } from 'vitest';
import { describeSchemaIssue, targetFileSchema } from './target-schema.ts';

const ready = { kind: 'log-line', stream: 'stdout', pattern: /running/ } as const;
const base = {
  name: 'their server',
  port: 'assigned',
  env: () => ({}),
  providerHosts: 'hard-coded',
  runtime: 'node',
  startFlow: { tool: 'start_oauth', authorizeUrl: { field: 'url' } },
  callbackPage: { success: /ok/, invalidState: /invalid/ },
  stores: { memory: { reach: 'process' } },
};
const explicit = { tool: { command: 'node', args: ['dist/index.js'] }, callback: { command: 'node', args: ['dist/http.js'], ready }, both: { command: 'node', args: ['dist/index.js', '--http'], ready } };

function problem(value: unknown): string | undefined {
  const parsed = targetFileSchema.safeParse(value);
  return parsed.success ? undefined : describeSchemaIssue(parsed.error, value);
}

describe('the launch form', () => {
  test('a factory module with processes that leave out their command (and the tool left out) is a valid target', () => {
    expect(problem({ ...base, launch: { factory: 'dist/src/index.js', config: () => ({}) }, callback: { command: 'node', args: ['dist/http.js'], ready }, both: { args: ['--http-server'], ready } })).toBeUndefined();
    expect(problem({ ...base, launch: { factory: 'src/index.ts', export: 'createServer', config: { site: 'x' } }, callback: { args: ['--http-server'], ready }, both: { ready } })).toBeUndefined();
  });

  test('explicit commands everywhere stay valid, with or without launch', () => {
    expect(problem({ ...base, ...explicit })).toBeUndefined();
  });

  test.each([
    ['a process without a command and no launch', { ...base, ...explicit, callback: { args: ['x.js'], ready } }, /^callback\.command: Required: the process's executable \(or give launch: \{ factory \}/],
    ['no tool and no launch', { ...base, callback: explicit.callback, both: explicit.both }, /^tool: Required: the MCP server over stdio/],
    ['launch without factory', { ...base, ...explicit, launch: { export: 'x' } }, /^launch\.factory: Required$/],
    ['a misspelled field of launch', { ...base, ...explicit, launch: { factroy: 'dist/index.js' } }, /^launch: unknown field\(s\) "factroy" \(did you mean "factory"\?\)$/],
    ['launch misspelled at the top level', { ...base, lauch: { factory: 'dist/index.js' }, callback: explicit.callback, both: explicit.both }, /^\(the target\): unknown field\(s\) "lauch" \(did you mean "launch"\?\)$/],
    ['a config that is neither an object nor a function', { ...base, ...explicit, launch: { factory: 'i.js', config: 'site=acme' } }, /^launch\.config: expected an object, or a function of input returning one$/],
    ['an empty factory path', { ...base, ...explicit, launch: { factory: '' } }, /^launch\.factory: expected a non-empty string$/],
  ])('%s: one line naming the field', (_, value, expected) => {
    expect(problem(value)).toMatch(expected);
  });
});
