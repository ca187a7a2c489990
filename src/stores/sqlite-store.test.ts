/**
 * sqlite specifics: WAL and busy timeout in force, the private folder and
 * file, expiry and take in the SQL itself, and two real processes writing at
 * once without losing anything.
 */
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS, type OAuthSession } from '../session-store.ts';
import { silentLogger } from '../log.ts';
import { createSessionStore } from './create-session-store.ts';
import { SqliteSessionStore, defaultSqliteFile, sqliteFileFor } from './sqlite-store.ts';
import { twoProcessPuts } from './test-fixtures/two-process-puts.ts';

const tempDirs: string[] = [];
const stores: SqliteSessionStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function privateDir(): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-test-'));
  tempDirs.push(parent);
  const dir = path.join(parent, 'private');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

function open(databaseFile: string): SqliteSessionStore {
  const store = new SqliteSessionStore({ databaseFile, logger: silentLogger });
  stores.push(store);
  return store;
}

function session(state: string, timestamp = Date.now()): OAuthSession {
  return { state, codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:1/oauth/callback', timestamp, userEmail: 'dev@acme.test' };
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('sqlite store', () => {
  it('derives its file from SESSION_FILE, or a per-user private folder', () => {
    expect(sqliteFileFor('/x/jira-oauth-sessions.json')).toBe('/x/jira-oauth-sessions.sqlite');
    expect(sqliteFileFor('/x/sessions')).toBe('/x/sessions.sqlite');
    expect(path.basename(defaultSqliteFile())).toBe('sessions.sqlite');
    expect(path.dirname(defaultSqliteFile())).toMatch(new RegExp(`^${os.tmpdir()}/jira-oauth-`));
  });

  it('runs in WAL mode with a busy timeout, its files 0600 in a 0700 folder', async () => {
    const file = path.join(privateDir(), 'sessions.sqlite');
    const store = open(file);
    await store.put('sessions', 's', session('s'));
    const probe = new Database(file, { readonly: true });
    try {
      expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      probe.close();
    }
    expect(mode(path.dirname(file))).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f)).toBe(0o600);
    // busy_timeout is per connection: read it from the store's own.
    expect((store as unknown as { db: Database.Database }).db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('keeps expiry in the query: an expired row is never returned, even before any prune', async () => {
    const file = path.join(privateDir(), 'sessions.sqlite');
    const store = open(file);
    // Written behind the store's back, as an old or foreign row would be.
    const raw = new Database(file);
    const old = session('old', Date.now() - SESSION_TTL_MS - 1);
    raw.prepare('INSERT INTO sessions (state, record, timestamp) VALUES (?, ?, ?)').run('old', JSON.stringify(old), old.timestamp);
    raw.close();
    expect(await store.get('sessions', 'old')).toBeUndefined();
    expect(await store.take('sessions', 'old')).toBeUndefined();
    expect(await store.count('sessions')).toBe(0);
    await store.put('sessions', 'new', session('new'));
    const left = new Database(file, { readonly: true });
    expect(left.prepare('SELECT state FROM sessions ORDER BY state').all()).toEqual([{ state: 'new' }]);
    left.close();
  });

  it('refuses a symlink at the database path and a 0644 database, leaving them untouched', () => {
    const dir = privateDir();
    const target = path.join(dir, '..', 'victim.db');
    writeFileSync(target, 'precious', { mode: 0o600 });
    const linked = path.join(dir, 'linked.sqlite');
    symlinkSync(target, linked);
    expect(() => open(linked)).toThrow(`Refusing session store path ${linked}: the file is a symbolic link; it will not be followed`);
    expect(readFileSync(target, 'utf8')).toBe('precious');

    const loose = path.join(dir, 'loose.sqlite');
    writeFileSync(loose, '');
    chmodSync(loose, 0o644);
    expect(() => open(loose)).toThrow(/the file has mode 0644; expected 0600/);
    expect(mode(loose)).toBe(0o644);
  });

  it('is what createSessionStore("sqlite") opens beside SESSION_FILE', async () => {
    const sessionFile = path.join(privateDir(), 'jira-oauth-sessions.json');
    const store = createSessionStore('sqlite', { sessionFile, logger: silentLogger }) as SqliteSessionStore;
    stores.push(store);
    expect(store.databaseFile).toBe(sqliteFileFor(sessionFile));
  });

  it('two processes doing 200 interleaved puts each lose nothing', async () => {
    const sessionFile = path.join(privateDir(), 'sessions.json');
    const { prefixes } = await twoProcessPuts('sqlite', sessionFile, 200);
    const store = open(sqliteFileFor(sessionFile));
    expect(await store.count('sessions')).toBe(400);
    for (const prefix of prefixes) {
      for (const i of [0, 99, 199]) expect(await store.get('sessions', `${prefix}-${i}`)).toBeDefined();
    }
  });
});
