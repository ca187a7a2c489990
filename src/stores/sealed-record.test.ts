import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecordSealer } from './sealed-record.ts';

const key = randomBytes(32);
const record = { clientId: 'c', expiresAt: 1_800_000_000_000, nested: { list: [1, 2] } };

describe('RecordSealer', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const sealer = new RecordSealer(key, 'accessTokens');
    const first = sealer.seal(record);
    const second = sealer.seal(record);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
    const opened = sealer.open(first);
    expect(opened).toEqual({ ok: true, record, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('refuses a tampered key, another purpose and another seal key as forged', () => {
    const sealed = new RecordSealer(key, 'accessTokens').seal(record);
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    expect(new RecordSealer(key, 'accessTokens').open(flipped)).toEqual({ ok: false, reason: 'forged' });
    expect(new RecordSealer(key, 'mcpSessions').open(sealed)).toEqual({ ok: false, reason: 'forged' });
    expect(new RecordSealer(randomBytes(32), 'accessTokens').open(sealed)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses what is not a sealed record as malformed', () => {
    const sealer = new RecordSealer(key, 'clients');
    expect(sealer.open('not base64url!')).toEqual({ ok: false, reason: 'malformed' });
    expect(sealer.open(randomBytes(16).toString('base64url'))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a seal key of the wrong length', () => {
    expect(() => new RecordSealer(randomBytes(16), 'clients')).toThrow('expected a 32-byte key, got 16 bytes');
  });
});
