/**
 * openSessionStore (the entry points' way to a store, loading only the
 * chosen store's module) gives the same store, and the same configuration
 * errors, as createSessionStore.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, type SessionStore, type StoreKind } from '../session-store.ts';
import { ConfigError } from '../config.ts';
import { silentLogger } from '../log.ts';
import { createSessionStore, type CreateSessionStoreOptions } from './create-session-store.ts';
import { openSessionStore } from './open-session-store.ts';

const tempDirs: string[] = [];
const opened: SessionStore[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(): CreateSessionStoreOptions {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'open-session-store-'));
  tempDirs.push(dir);
  mkdirSync(path.join(dir, 'private'), { mode: 0o700 });
  // redis only connects on first use: a URL nobody listens on is enough to construct it.
  return { sessionFile: path.join(dir, 'private', 'sessions.json'), redisUrl: 'redis://127.0.0.1:1', sealKey: randomBytes(32), logger: silentLogger };
}

describe('openSessionStore', () => {
  it.each(STORE_KINDS)('opens the same %s store as createSessionStore', async (kind: StoreKind) => {
    const lazy = await openSessionStore(kind, options());
    const eager = createSessionStore(kind, options());
    opened.push(lazy, eager);
    expect(lazy.kind).toBe(kind);
    expect(lazy.constructor).toBe(eager.constructor);
  });

  it.each([
    ['redis', 'REDIS_URL'],
    ['sealed-state', 'SESSION_SEAL_KEY'],
  ] as const)('%s without %s: the same configuration error as createSessionStore', async (kind, variable) => {
    const lazy = await openSessionStore(kind, { logger: silentLogger }).catch((error: unknown) => error);
    let eager: unknown;
    try {
      createSessionStore(kind, { logger: silentLogger });
    } catch (error) {
      eager = error;
    }
    expect(lazy).toBeInstanceOf(ConfigError);
    expect((lazy as ConfigError).variable).toBe(variable);
    expect((lazy as Error).message).toBe((eager as Error).message);
  });

  it('refuses a kind it does not know, naming the known ones', async () => {
    await expect(openSessionStore('nfs' as StoreKind)).rejects.toThrow(`Unknown session store "nfs": expected one of ${STORE_KINDS.join(', ')}`);
  });
});
