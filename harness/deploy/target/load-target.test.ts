/** Target files: validated field by field, resolved with defaults, and refused with one line naming the field or the place it would not load. */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTarget, locate, resolveTarget, TargetFileError } from './load-target.ts';
import type { TargetFile, TargetInputs } from './target-file.ts';

const run = promisify(execFile);

const fixture = (name: string) => fileURLToPath(new URL(`./test-fixtures/${name}`, import.meta.url));

describe('loadTarget', () => {
  it('loads a fixture target and fills the defaults', async () => {
    const target = await loadTarget(fileURLToPath(new URL('../../../fixtures/targets/factory-fetch/target.ts', import.meta.url)));
    expect(target).toMatchObject({ name: expect.stringContaining('factory-fetch'), port: 'assigned', callbackPath: '/oauth/callback', healthPath: '/health', tool: { ready: { kind: 'mcp-initialize' } } });
    expect(target.tokenTool).toBeUndefined();
    expect(target.authorizeUrlFrom({ text: 'please open https://auth.atlassian.com/authorize?state=abc in your browser' })).toBe('https://auth.atlassian.com/authorize?state=abc');
  });

  it('a misspelled field is named', async () => {
    await expect(loadTarget(fixture('misspelled.target.ts'))).rejects.toThrow(/unknown field\(s\) "callbakPage" \(did you mean "callbackPage"\?\)/);
  });

  it('a missing field is named', async () => {
    const error = await loadTarget(fixture('missing-field.target.ts')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetFileError);
    expect((error as Error).message).toMatch(/startFlow: Required/);
  });

  it('a file that does not exist is one line', async () => {
    await expect(loadTarget('/nonexistent/x.target.ts')).rejects.toThrow('target /nonexistent/x.target.ts: no such file');
  });
});

describe('resolveTarget: launch', () => {
  const ready = { kind: 'log-line', stream: 'stdout', pattern: /running/ } as const;
  const file = (launch: TargetFile['launch']): TargetFile => ({
    name: 'factory',
    cwd: '../checkout',
    launch,
    callback: { args: ['--http-server'], ready },
    both: { args: ['--http-server'], ready },
    port: 'assigned',
    env: () => ({}),
    providerHosts: 'hard-coded',
    runtime: 'node',
    startFlow: { tool: 'start_oauth', authorizeUrl: { field: 'url' } },
    callbackPage: { success: /ok/, invalidState: /invalid/ },
    stores: { memory: { reach: 'process' } },
  });
  const inputs = { role: 'tool', clientId: 'c-1', companyUrl: 'https://acme.atlassian.net', redirectUri: undefined } as TargetInputs;
  const configFor = (launch: TargetFile['launch']) => resolveTarget(file(launch), '/work/targets/their.target.ts').launch!.config(inputs);

  it('the factory path is resolved against cwd (where the processes run), the export defaults to "default", the tool to the module alone', () => {
    const target = resolveTarget(file({ factory: 'dist/src/index.js' }), '/work/targets/their.target.ts');
    expect(target.launch).toMatchObject({ modulePath: '/work/checkout/dist/src/index.js', exportName: 'default' });
    expect(target.tool).toEqual({ ready: { kind: 'mcp-initialize' } });
    expect(target.launch!.config(inputs)).toEqual({});
  });

  it('config is a function of the same input env gets; a property left undefined is left out, as JSON does', () => {
    expect(configFor({ factory: 'i.js', config: (input) => ({ site: input.companyUrl, client: input.clientId, role: input.role, redirect: input.redirectUri }) })).toEqual({
      site: 'https://acme.atlassian.net',
      client: 'c-1',
      role: 'tool',
      redirect: undefined,
    });
    expect(configFor({ factory: 'i.js', config: { fixed: [1, 'two', null, { deep: true }] } })).toEqual({ fixed: [1, 'two', null, { deep: true }] });
  });

  it.each([
    ['an array', () => [1], /launch\.config for the tool process: expected an object, got an array$/],
    ['a Date inside', () => ({ when: new Date(0) }), /launch\.config for the tool process: config\.when is an instance of Date, which JSON cannot carry/],
    ['a function inside', () => ({ nested: { callback: () => 1 } }), /config\.nested\.callback is a function, which JSON cannot carry/],
    ['NaN in an array', () => ({ list: [1, Number.NaN] }), /config\.list\[1\] is NaN, which JSON cannot carry$/],
  ])('a config that JSON would change (%s) is refused with the field named', (_, config, message) => {
    let thrown: unknown;
    try {
      configFor({ factory: 'i.js', config: config as () => Record<string, unknown> });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TargetFileError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('a config function that throws is the target file\'s error, naming the process', () => {
    expect(() =>
      configFor({
        factory: 'i.js',
        config: () => {
          throw new Error('JIRA_SITE is not set');
        },
      }),
    ).toThrow('target /work/targets/their.target.ts: launch.config(input) threw for the tool process: JIRA_SITE is not set');
  });
});

describe('locate', () => {
  it('reads a dotted structuredContent field, or the first group of a pattern', () => {
    expect(locate({ field: 'a.b' }, { structuredContent: { a: { b: 'x' } }, text: '' })).toBe('x');
    expect(locate({ pattern: /id (\w+)/ }, { text: 'my id abc' })).toBe('abc');
    expect(locate({ field: 'missing' }, { text: '' })).toBeUndefined();
  });
});

/**
 * Target files as the CLI loads them: in a Node process under tsx, whose
 * loader reads syntax errors and CommonJS folders its own way (vitest's
 * differs, so these cannot run in the test's own process). One process
 * loads every file; each test reads its line.
 */
describe('loadTarget under tsx, as the CLI loads target files', { timeout: 90_000 }, () => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  const relativeFixture = (name: string) => `harness/deploy/target/test-fixtures/${name}`;
  let scratch: string;
  let outcomes: Map<string, { name?: string; code?: string; message?: string; loaded?: string }>;
  const outcome = (file: string) => outcomes.get(file) ?? expect.fail(`no outcome for ${file}`);

  /** A syntax error on line 3: `)` where `}` closes the object (column 27 counting from 1). */
  const syntaxError = ['export default {', "  name: 'their server',", "  tool: { command: 'node' ),", '};', ''].join('\n');

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'load-target-'));
    writeFileSync(path.join(scratch, 'their.target.ts'), syntaxError);
    // No package.json in this folder or above it: Node takes the file for CommonJS.
    copyFileSync(fixture('commonjs-folder/export-forgotten.target.ts'), path.join(scratch, 'export-forgotten.target.ts'));
    const files = [
      path.join(scratch, 'their.target.ts'),
      relativeFixture('throws-at-load.target.ts'),
      relativeFixture('commonjs-folder/export-forgotten.target.ts'),
      relativeFixture('module-folder/export-forgotten.target.ts'),
      path.join(scratch, 'export-forgotten.target.ts'),
      relativeFixture('compiles-into-a-file.target.ts'),
      relativeFixture('misspelled.target.ts'),
    ];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', relativeFixture('load-in-node.ts'), ...files], { cwd: ROOT, timeout: 80_000 });
    outcomes = new Map(stdout.trim().split('\n').map((line) => {
      const { file, ...rest } = JSON.parse(line) as { file: string };
      return [file, rest];
    }));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a syntax error names the file, line and column and what the parser expected', () => {
    const file = path.join(scratch, 'their.target.ts');
    expect(outcome(file).message).toBe(`target ${file}: could not be loaded: ${file}:3:27: ERROR: Expected "}" but found ")"`);
  });

  it("an error thrown by the file's top level gives its message and the line in the file", () => {
    const file = relativeFixture('throws-at-load.target.ts');
    const source = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const line = source.findIndex((text) => text.includes('throw new Error')) + 1;
    expect(outcome(file).message).toMatch(new RegExp(`^target ${file}: could not be loaded: ${file}:${line}:\\d+: OAUTH_REPRO_FIXTURE_NEVER_SET is not set: where is the server binary\\?$`));
  });

  it.each([
    ['a folder whose package.json is not "type": "module"', () => relativeFixture('commonjs-folder/export-forgotten.target.ts')],
    ['a folder whose package.json is "type": "module"', () => relativeFixture('module-folder/export-forgotten.target.ts')],
    ['a folder with no package.json', () => path.join(scratch, 'export-forgotten.target.ts')],
  ])('no default export, from %s: said as such, not as a missing field', (_, file) => {
    expect(outcome(file()).message).toBe(`target ${file()}: has no default export (export default defineTarget({...}))`);
  });

  it('the folder with no package.json has none above it either (else the case above tests nothing)', () => {
    for (let dir = scratch; path.dirname(dir) !== dir; dir = path.dirname(dir)) expect(existsSync(path.join(dir, 'package.json')), dir).toBe(false);
  });

  it('a compile cache that cannot be written while the file loads is the harness folder error, not a bad target file', () => {
    expect(outcome(relativeFixture('compiles-into-a-file.target.ts'))).toMatchObject({
      name: 'HarnessFolderError',
      code: 'harness_folder_unwritable',
      message: expect.stringMatching(/^the harness cannot write its compile cache .*compiles-into-a-file\.target\.ts\/cache \(ENOTDIR: not a directory\); OAUTH_REPRO_RUNS_DIR=/),
    });
  });

  it('a file that fails the schema still quotes the field and what was expected', () => {
    expect(outcome(relativeFixture('misspelled.target.ts')).message).toMatch(/: \(the target\): unknown field\(s\) "callbakPage" \(did you mean "callbackPage"\?\)$/);
  });
});
