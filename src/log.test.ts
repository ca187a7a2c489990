import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, createLogger, redact, redactFields, registerSecret, shortId } from './log.ts';

afterEach(() => clearRegisteredSecrets());

describe('redactFields', () => {
  it('replaces every known secret field, at any depth', () => {
    const input = {
      client_secret: 's1',
      code_verifier: 'v1',
      codeVerifier: 'v2',
      access_token: 'a1',
      refresh_token: 'r1',
      code: 'c1',
      nested: { accessToken: 'a2', refreshToken: 'r2', list: [{ code: 'c2' }] },
      kept: 'visible',
    };
    const out = JSON.stringify(redactFields(input));
    for (const secret of ['s1', 'v1', 'v2', 'a1', 'r1', 'c1', 'a2', 'r2', 'c2']) expect(out).not.toContain(`"${secret}"`);
    expect(out).toContain('"visible"');
  });

  it('shows a state only as its first 8 characters', () => {
    const state = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
    expect(redactFields({ state })).toEqual({ state: 'AbCdEfGh…' });
    expect(shortId('short')).toBe('sh…');
  });
});

describe('redact', () => {
  it('masks the registered client secret wherever it appears', () => {
    registerSecret('my-client-secret');
    expect(redact('error: client_secret=my-client-secret; again my-client-secret')).toBe('error: client_secret=[REDACTED]; again [REDACTED]');
  });
});

describe('createLogger', () => {
  it('writes one redacted line per call', () => {
    registerSecret('topsecretvalue');
    const lines: string[] = [];
    const log = createLogger('test', (l) => lines.push(l));
    log.info('failed with topsecretvalue', { code: 'auth-code', state: '0123456789abcdef', user: 'dev' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[test] failed with [REDACTED]');
    expect(lines[0]).not.toContain('auth-code');
    expect(lines[0]).not.toContain('0123456789abcdef');
    expect(lines[0]).toContain('"user":"dev"');
  });
});
