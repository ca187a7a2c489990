/** harnessWrites on fixed paths: what the write gate must never hold, wherever the checkout lives. */
import { describe, expect, test } from 'vitest';
import { harnessWrites, type HarnessWriteInputs } from './harness-writes.ts';

const noLinks = (p: string) => p;

const underTmp: HarnessWriteInputs = {
  gatedFolder: '/tmp',
  runDir: '/tmp/clone/runs/2026-01-01-1-x',
  runsRoot: '/tmp/clone/runs',
  projectRoot: '/tmp/clone',
  cacheRoot: '/tmp/clone/node_modules/.cache/oauth-state-repro',
  targetFolders: ['/tmp/clone', '/tmp/clone/fixtures/targets/literal-tmp'],
  tsxOwners: [0],
};

describe('harnessWrites', () => {
  test('a checkout under /tmp: the run folder, the project, node_modules, the compile cache, the target and tsx\'s cache are all excluded', () => {
    expect(harnessWrites(underTmp, noLinks)).toEqual([
      '/tmp/clone/runs/2026-01-01-1-x',
      '/tmp/clone/runs',
      '/tmp/clone',
      '/tmp/clone/node_modules',
      '/tmp/clone/node_modules/.cache/oauth-state-repro',
      '/tmp/clone/fixtures/targets/literal-tmp',
      '/tmp/tsx-0',
    ]);
  });

  test('the store files stay gated: nothing excluded holds the gated folder or a file of the store in it', () => {
    const excluded = harnessWrites(underTmp, noLinks);
    for (const storeFile of ['/tmp/jira-oauth-sessions.json', '/tmp/literal-tmp-oauth-sessions.json', '/tmp/jira-oauth-0/sessions.json']) {
      expect(excluded.some((e) => storeFile === e || storeFile.startsWith(`${e}/`)), storeFile).toBe(false);
    }
  });

  test('a folder that holds the gated folder (a target checked out at /) is left out: it would exclude every write', () => {
    expect(harnessWrites({ ...underTmp, targetFolders: ['/'], projectRoot: '/tmp' }, noLinks)).not.toContain('/');
    expect(harnessWrites({ ...underTmp, projectRoot: '/tmp' }, noLinks)).not.toContain('/tmp');
  });

  test('a path reached through a link is excluded under both names', () => {
    const realpath = (p: string) => (p.startsWith('/tmp/clone/node_modules') ? p.replace('/tmp/clone/node_modules', '/work/main/node_modules') : p);
    const excluded = harnessWrites(underTmp, realpath);
    expect(excluded).toContain('/tmp/clone/node_modules/.cache/oauth-state-repro');
    expect(excluded).toContain('/work/main/node_modules/.cache/oauth-state-repro');
  });

  test('env-only hosts: the gated folder is the host\'s own; tsx\'s cache is named under it', () => {
    const excluded = harnessWrites({ ...underTmp, gatedFolder: '/tmp/hosts-1/race/a/tmp', tsxOwners: [1000, 0] }, noLinks);
    expect(excluded).toContain('/tmp/hosts-1/race/a/tmp/tsx-1000');
    expect(excluded).toContain('/tmp/hosts-1/race/a/tmp/tsx-0');
    expect(excluded).not.toContain('/tmp/tsx-0');
  });
});
