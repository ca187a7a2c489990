/**
 * `npm run repro` refusing before anything starts, as a user meets it: a bad
 * option is its one line and a pointer to --help (not the whole help after
 * it), a --junit path that cannot be written is one line naming it (not a
 * stack trace after the whole run), a runs folder that cannot be written is
 * the harness's folder error (exit 2), and a target file with a syntax error
 * says where.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repro } from './test-fixtures/run-repro.ts';

const run = promisify(execFile);


let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'repro-usage-errors-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// At once: each test's repro process and scratch files are its own.
describe.concurrent('repro refuses before anything starts', { timeout: 90_000 }, () => {
  it('an unknown --store: its one line, then a pointer to --help; exit 64', async () => {
    const result = await repro(['--scenario', 'split-process', '--store', 'x']);
    expect(result.code).toBe(64);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^repro: unknown --store "x"; known: memory, /), 'Run npm run repro -- --help for every option.']);
  });

  it('--junit under a regular file: one line naming the option, the path and the problem; exit 64 and no run folder', async () => {
    const file = path.join(scratch, 'some-file');
    writeFileSync(file, '');
    const runs = path.join(scratch, 'runs');
    const result = await repro(['--scenario', 'split-process', '--store', 'memory', '--junit', path.join(file, 'x.xml')], { OAUTH_REPRO_RUNS_DIR: runs });
    expect(result.code).toBe(64);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`repro: --junit ${file}/x.xml: its folder ${file} is a file, not a folder`]);
    expect(readdirSync(runs).filter((entry) => entry !== '.cache')).toEqual([]);
  });

  it('a runs folder that cannot be written: the harness folder error and the variable that moves it; exit 2', async () => {
    const file = path.join(scratch, 'not-a-folder');
    writeFileSync(file, '');
    const result = await repro(['--scenario', 'split-process', '--store', 'memory'], { OAUTH_REPRO_RUNS_DIR: path.join(file, 'runs') });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `repro: the harness cannot write its runs folder ${file}/runs (ENOTDIR: not a directory); OAUTH_REPRO_RUNS_DIR=<a writable folder> moves the runs and the harness's caches there`,
    ]);
  });

  it('a target file with a syntax error: file, line and column; exit 64', async () => {
    const target = path.join(scratch, 'their.target.ts');
    writeFileSync(target, ['export default {', "  name: 'their server',", "  tool: { command: 'node' ),", '};', ''].join('\n'));
    const result = await repro(['--target', target, '--scenarios-only']);
    expect(result.code).toBe(64);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`repro: target ${target}: could not be loaded: ${target}:3:27: ERROR: Expected "}" but found ")"`]);
  });
});
