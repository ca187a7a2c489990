/**
 * The one contract every SessionStore passes, run against each store. A new
 * store joins by adding a row to `stores`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS, type OAuthSession, type SessionStore, type StoredTokens } from '../session-store.ts';
import { silentLogger } from '../log.ts';
import { createSessionStore } from './create-session-store.ts';
import { MemorySessionStore } from './memory-store.ts';
import { JsonFileSessionStore, tokensFileFor } from './json-file-store.ts';

interface StoreCase {
  name: string;
  /** Opens a store; a second call in the same test opens another instance over the same data. */
  open: () => SessionStore;
  /** Replaces the stored sessions with bytes that are not valid JSON, when the store has a file. */
  corrupt?: () => void;
}

const tempDirs: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'session-store-contract-'));
  tempDirs.push(dir);
  return dir;
}

const stores: Array<[string, () => StoreCase]> = [
  [
    'memory',
    () => {
      MemorySessionStore.clearAllForTesting();
      return { name: 'memory', open: () => createSessionStore('memory', { logger: silentLogger }) };
    },
  ],
  [
    'json-file',
    () => {
      const sessionFile = path.join(freshDir(), 'jira-oauth-sessions.json');
      return {
        name: 'json-file',
        open: () => createSessionStore('json-file', { sessionFile, logger: silentLogger }),
        corrupt: () => writeFileSync(sessionFile, '{"half-written": {"state": "abc", '),
      };
    },
  ],
];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function session(state: string, timestamp = Date.now()): OAuthSession {
  return { state, codeVerifier: `verifier-${state}`, redirectUri: 'http://127.0.0.1:1/oauth/callback', timestamp, userEmail: 'dev@acme.test' };
}

function tokens(accessToken: string): StoredTokens {
  return { accessToken, refreshToken: `r-${accessToken}`, expiresAt: Date.now() + 3_600_000, scope: 'read:jira-work', obtainedAt: Date.now() };
}

describe.each(stores)('SessionStore contract: %s', (kind, setup) => {
  it('reports its kind', () => {
    expect(setup().open().kind).toBe(kind);
  });

  it('returns what was put, and undefined for an unknown key', async () => {
    const store = setup().open();
    const s = session('state-1');
    await store.put('sessions', s.state, s);
    expect(await store.get('sessions', s.state)).toEqual(s);
    expect(await store.get('sessions', 'never-stored')).toBeUndefined();
  });

  it('replaces a record put twice under one key', async () => {
    const store = setup().open();
    await store.put('sessions', 'k', session('k', Date.now() - 1000));
    const newer = session('k');
    await store.put('sessions', 'k', newer);
    expect(await store.get('sessions', 'k')).toEqual(newer);
    expect(await store.count('sessions')).toBe(1);
  });

  it('get does not consume', async () => {
    const store = setup().open();
    await store.put('sessions', 'k', session('k'));
    await store.get('sessions', 'k');
    expect(await store.get('sessions', 'k')).toBeDefined();
  });

  it('take is single use', async () => {
    const store = setup().open();
    const s = session('once');
    await store.put('sessions', 'once', s);
    expect(await store.take('sessions', 'once')).toEqual(s);
    expect(await store.take('sessions', 'once')).toBeUndefined();
    expect(await store.get('sessions', 'once')).toBeUndefined();
  });

  it('take of an unknown key returns undefined and changes nothing', async () => {
    const store = setup().open();
    await store.put('sessions', 'kept', session('kept'));
    expect(await store.take('sessions', 'unknown')).toBeUndefined();
    expect(await store.count('sessions')).toBe(1);
  });

  it('delete removes one record; deleting a missing key is not an error', async () => {
    const store = setup().open();
    await store.put('sessions', 'a', session('a'));
    await store.put('sessions', 'b', session('b'));
    await store.delete('sessions', 'a');
    await store.delete('sessions', 'missing');
    expect(await store.get('sessions', 'a')).toBeUndefined();
    expect(await store.get('sessions', 'b')).toBeDefined();
  });

  it('counts records per namespace', async () => {
    const store = setup().open();
    expect(await store.count('sessions')).toBe(0);
    for (const k of ['a', 'b', 'c']) await store.put('sessions', k, session(k));
    await store.put('tokens', 'dev@acme.test', tokens('t1'));
    expect(await store.count('sessions')).toBe(3);
    expect(await store.count('tokens')).toBe(1);
  });

  it('keeps namespaces separate, even under the same key', async () => {
    const store = setup().open();
    const s = session('same-key');
    const t = tokens('access');
    await store.put('sessions', 'same-key', s);
    await store.put('tokens', 'same-key', t);
    expect(await store.get('sessions', 'same-key')).toEqual(s);
    expect(await store.get('tokens', 'same-key')).toEqual(t);
    await store.take('tokens', 'same-key');
    expect(await store.get('sessions', 'same-key')).toEqual(s);
  });

  it('drops sessions older than the TTL when a session is put', async () => {
    const store = setup().open();
    const now = Date.now();
    await store.put('sessions', 'stale', session('stale', now - SESSION_TTL_MS - 1000));
    await store.put('sessions', 'edge', session('edge', now - SESSION_TTL_MS + 5000));
    await store.put('sessions', 'fresh', session('fresh'));
    expect(await store.get('sessions', 'stale')).toBeUndefined();
    expect(await store.get('sessions', 'edge')).toBeDefined();
    expect(await store.count('sessions')).toBe(2);
  });

  it('keeps a session whose timestamp is in the future (the cleanup only tests now - timestamp > TTL)', async () => {
    const store = setup().open();
    await store.put('sessions', 'future', session('future', Date.now() + 10 * SESSION_TTL_MS));
    await store.put('sessions', 'other', session('other'));
    expect(await store.get('sessions', 'future')).toBeDefined();
  });

  it('shares records between two instances in one process', async () => {
    const c = setup();
    const writer = c.open();
    const reader = c.open();
    await writer.put('sessions', 'shared', session('shared'));
    expect(await reader.take('sessions', 'shared')).toBeDefined();
    expect(await writer.get('sessions', 'shared')).toBeUndefined();
  });

  // Known failure of the write-up's design: take is get + delete, two
  // read-modify-write cycles, so two concurrent callbacks both redeem the state.
  const concurrentTake = kind === 'json-file' ? it.fails : it;
  concurrentTake('take is single use under concurrent callers', async () => {
    const store = setup().open();
    await store.put('sessions', 'raced', session('raced'));
    const results = await Promise.all([store.take('sessions', 'raced'), store.take('sessions', 'raced')]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('close can be called twice', async () => {
    const store = setup().open();
    await store.close();
    await store.close();
  });

  // Only stores with a medium that can be corrupted register this case.
  if (setup().corrupt !== undefined) it('treats a corrupted store as empty', async () => {
    const c = setup();
    const store = c.open();
    await store.put('sessions', 'before', session('before'));
    c.corrupt!();
    expect(await store.count('sessions')).toBe(0);
    expect(await store.get('sessions', 'before')).toBeUndefined();
    // The next put rewrites the file from "empty": what was there is gone for good.
    await store.put('sessions', 'after', session('after'));
    expect(await store.count('sessions')).toBe(1);
  });
});

describe('json-file store specifics (the write-up design, flaws included)', () => {
  function open(): { store: JsonFileSessionStore; file: string } {
    const file = path.join(freshDir(), 'jira-oauth-sessions.json');
    return { store: new JsonFileSessionStore({ sessionFile: file, logger: silentLogger }), file };
  }

  it('writes sessions as a pretty-printed { [state]: session } object at SESSION_FILE', async () => {
    const { store, file } = open();
    const s = session('st');
    await store.put('sessions', 'st', s);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ st: s }, null, 2));
  });

  it('keeps tokens in the sibling *.tokens.json', async () => {
    const { store, file } = open();
    await store.put('tokens', 'dev@acme.test', tokens('a'));
    expect(tokensFileFor(file)).toBe(file.replace(/\.json$/, '.tokens.json'));
    expect(JSON.parse(readFileSync(tokensFileFor(file), 'utf8'))).toHaveProperty(['dev@acme.test', 'accessToken'], 'a');
    expect(tokensFileFor('/tmp/sessions')).toBe('/tmp/sessions.tokens.json');
  });

  it('counts a missing file as empty without creating it', async () => {
    const { store, file } = open();
    expect(await store.count('sessions')).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it('counts a JSON value that is not an object as empty', async () => {
    const { store, file } = open();
    writeFileSync(file, '[1,2,3]');
    expect(await store.count('sessions')).toBe(0);
  });

  it('does not treat inherited property names as stored states', async () => {
    const { store } = open();
    expect(await store.get('sessions', '__proto__')).toBeUndefined();
    expect(await store.get('sessions', 'constructor')).toBeUndefined();
  });
});
