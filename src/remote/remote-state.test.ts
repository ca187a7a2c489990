import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import type { McpSessionRecord } from '../session-store.ts';
import { createSessionStore } from '../stores/create-session-store.ts';
import { MemorySessionStore } from '../stores/memory-store.ts';
import { SealedStateSessionStore } from '../stores/sealed-state-store.ts';
import { RemoteState } from './remote-state.ts';

const session = (expiresAt: number): McpSessionRecord => ({ clientId: 'c', createdAt: 0, expiresAt });

beforeEach(() => {
  MemorySessionStore.clearAllForTesting();
  SealedStateSessionStore.clearAllForTesting();
});

describe('RemoteState', () => {
  it('keys a record by 32 random bytes when the store mints no keys', async () => {
    const state = new RemoteState(createSessionStore('memory', { logger: silentLogger }));
    const key = await state.create('mcpSessions', session(Date.now() + 60_000));
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(await state.find('mcpSessions', key)).toMatchObject({ clientId: 'c' });
  });

  it('lets a store that mints keys seal the record into its key', async () => {
    const state = new RemoteState(createSessionStore('sealed-state', { sealKey: randomBytes(32), logger: silentLogger }));
    const key = await state.create('mcpSessions', session(Date.now() + 60_000));
    expect(key.length).toBeGreaterThan(43);
    expect(await state.consume('mcpSessions', key)).toMatchObject({ clientId: 'c' });
    expect(await state.consume('mcpSessions', key)).toBeUndefined();
  });

  it('never hands out an expired record, even from a store that keeps it (the write-up memory store)', async () => {
    const store = createSessionStore('memory', { logger: silentLogger });
    const state = new RemoteState(store);
    await store.put('mcpSessions', 'old', session(Date.now() - 1));
    expect(await store.get('mcpSessions', 'old')).toBeDefined();
    expect(await state.find('mcpSessions', 'old')).toBeUndefined();
    expect(await state.consume('mcpSessions', 'old')).toBeUndefined();
  });
});
