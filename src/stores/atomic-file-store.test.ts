/**
 * atomic-file specifics: what it refuses on disk, how it recovers a lock left
 * by a killed process, and that two real processes writing at once lose
 * nothing (the json-file store's lost-update bug, fixed).
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OAuthSession } from '../session-store.ts';
import { silentLogger } from '../log.ts';
import { AtomicFileSessionStore, DEFAULT_STALE_LOCK_MS, defaultAtomicSessionFile } from './atomic-file-store.ts';
import { UnsafeStorePathError } from './private-path.ts';
import { startDriver, twoProcessPuts } from './test-fixtures/two-process-puts.ts';

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atomic-file-test-'));
  tempDirs.push(dir);
  return dir;
}

function privateDir(): string {
  const dir = path.join(tempDir(), 'private');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

function session(state: string): OAuthSession {
  return { state, codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:1/oauth/callback', timestamp: Date.now(), userEmail: 'dev@acme.test' };
}

const open = (sessionFile: string, extra: Partial<ConstructorParameters<typeof AtomicFileSessionStore>[0]> = {}) =>
  new AtomicFileSessionStore({ sessionFile, logger: silentLogger, ...extra });

const mode = (p: string): number => statSync(p).mode & 0o777;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('atomic-file store: private folder and file', () => {
  it('defaults to a per-user folder under the temp dir', () => {
    const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
    expect(defaultAtomicSessionFile()).toBe(path.join(os.tmpdir(), `jira-oauth-${uid}`, 'sessions.json'));
  });

  it('creates a missing folder 0700 and writes the file 0600', async () => {
    const file = path.join(tempDir(), 'made-here', 'sessions.json');
    const store = open(file);
    await store.put('sessions', 's', session('s'));
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, sessions: { s: { state: 's' } }, tokens: {} });
  });

  it('refuses a folder that others can enter, naming it and its mode', () => {
    const dir = path.join(tempDir(), 'loose');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(() => open(path.join(dir, 'sessions.json'))).toThrow(
      `Refusing session store path ${dir}: the folder has mode 0755; expected 0700 (no access for group or others)`,
    );
  });

  it('refuses a folder that is a symbolic link', () => {
    const real = privateDir();
    const link = path.join(tempDir(), 'link-to-private');
    symlinkSync(real, link);
    expect(() => open(path.join(link, 'sessions.json'))).toThrow(/the folder is a symbolic link/);
  });

  it('refuses a symlink planted at the file path and leaves its target untouched', async () => {
    const dir = privateDir();
    const target = path.join(tempDir(), 'victim.txt');
    writeFileSync(target, 'precious', { mode: 0o600 });
    const file = path.join(dir, 'sessions.json');
    symlinkSync(target, file);

    expect(() => open(file)).toThrow(UnsafeStorePathError);
    expect(() => open(file)).toThrow(`Refusing session store path ${file}: the file is a symbolic link; it will not be followed`);

    // Planted after the store opened: every operation refuses it, through O_NOFOLLOW.
    rmSync(file);
    const store = open(file);
    symlinkSync(target, file);
    await expect(store.put('sessions', 's', session('s'))).rejects.toThrow(/symbolic link/);
    await expect(store.get('sessions', 's')).rejects.toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('refuses a pre-created 0666 file and leaves it untouched', async () => {
    const dir = privateDir();
    const file = path.join(dir, 'sessions.json');
    const planted = JSON.stringify({ version: 1, sessions: {}, tokens: {} });
    writeFileSync(file, planted);
    chmodSync(file, 0o666);
    expect(() => open(file)).toThrow(`Refusing session store path ${file}: the file has mode 0666; expected 0600 (no access for group or others)`);
    expect(readFileSync(file, 'utf8')).toBe(planted);
    expect(mode(file)).toBe(0o666);
  });

  // Giving a file to another uid (chown) needs root: as another user these two
  // cases cannot be set up, so they run only as root (CI and these machines are).
  it.runIf(isRoot)('refuses a file owned by someone else and leaves it untouched', () => {
    const dir = privateDir();
    const file = path.join(dir, 'sessions.json');
    writeFileSync(file, 'theirs', { mode: 0o600 });
    chownSync(file, 65534, 65534);
    expect(() => open(file)).toThrow(`Refusing session store path ${file}: the file is owned by uid 65534, not by this process's uid 0`);
    expect(readFileSync(file, 'utf8')).toBe('theirs');
    expect(statSync(file).uid).toBe(65534);
  });

  it.runIf(isRoot)('refuses a folder owned by someone else', () => {
    const dir = privateDir();
    chownSync(dir, 65534, 65534);
    expect(() => open(path.join(dir, 'sessions.json'))).toThrow(/the folder is owned by uid 65534/);
  });

  it('moves an unparseable file aside instead of overwriting it', async () => {
    const file = path.join(privateDir(), 'sessions.json');
    writeFileSync(file, '{"torn', { mode: 0o600 });
    const store = open(file);
    await store.put('sessions', 'after', session('after'));
    const aside = readdirSync(path.dirname(file)).filter((name) => name.startsWith('sessions.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(file), aside[0]!), 'utf8')).toBe('{"torn');
    expect(await store.count('sessions')).toBe(1);
  });
});

describe('atomic-file store: the inter-process lock', () => {
  it('recovers the lock of a process killed while holding it, once the lock is stale', async () => {
    const file = path.join(privateDir(), 'sessions.json');
    const lock = `${file}.lock`;
    const holder = startDriver(['atomic-file', file, 'hold-lock']);
    try {
      await holder.waitFor(/^locked$/);
      // Held by a live process: a writer that will not wait long gives up.
      await expect(open(file, { lockWaitMs: 200 }).put('sessions', 'early', session('early'))).rejects.toMatchObject({ code: 'ELOCKED' });
    } finally {
      holder.child.kill('SIGKILL');
    }
    const exit = await holder.child;
    expect(exit.signal).toBe('SIGKILL');

    // Dead, but its lock is still there and still fresh: not taken over yet.
    expect(existsSync(lock)).toBe(true);
    await expect(open(file, { lockWaitMs: 200 }).put('sessions', 'too-soon', session('too-soon'))).rejects.toMatchObject({ code: 'ELOCKED' });

    // A dead holder stops refreshing the lock's mtime; age it past the stale
    // threshold rather than waiting DEFAULT_STALE_LOCK_MS in the test.
    const past = new Date(Date.now() - DEFAULT_STALE_LOCK_MS - 1000);
    utimesSync(lock, past, past);
    const store = open(file);
    await store.put('sessions', 'after-crash', session('after-crash'));
    expect(await store.get('sessions', 'after-crash')).toMatchObject({ state: 'after-crash' });
    expect(existsSync(lock)).toBe(false);
  });

  it('two processes doing 200 interleaved puts each lose nothing', async () => {
    const file = path.join(privateDir(), 'sessions.json');
    open(file);
    const { prefixes } = await twoProcessPuts('atomic-file', file, 200);
    const store = open(file);
    expect(await store.count('sessions')).toBe(400);
    for (const prefix of prefixes) {
      for (const i of [0, 99, 199]) expect(await store.get('sessions', `${prefix}-${i}`)).toBeDefined();
    }
    expect(mode(file)).toBe(0o600);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
