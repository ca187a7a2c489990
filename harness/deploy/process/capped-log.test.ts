import { describe, expect, test } from 'vitest';
import { DEFAULT_LOG_CAP_BYTES, logCapBytes } from './capped-log.ts';

describe('logCapBytes: OAUTH_REPRO_LOG_CAP_BYTES or 8 MiB', () => {
  test('unset or empty: the default', () => {
    expect(DEFAULT_LOG_CAP_BYTES).toBe(8 * 1024 * 1024);
    expect(logCapBytes({})).toBe(DEFAULT_LOG_CAP_BYTES);
    expect(logCapBytes({ OAUTH_REPRO_LOG_CAP_BYTES: '' })).toBe(DEFAULT_LOG_CAP_BYTES);
  });

  test('a whole number of bytes', () => {
    expect(logCapBytes({ OAUTH_REPRO_LOG_CAP_BYTES: '65536' })).toBe(65_536);
  });

  test.each(['8MiB', '-1', '0', '1.5'])('%j is refused, quoted', (given) => {
    expect(() => logCapBytes({ OAUTH_REPRO_LOG_CAP_BYTES: given })).toThrow(`OAUTH_REPRO_LOG_CAP_BYTES: expected a whole number of bytes greater than 0, got ${JSON.stringify(given)}`);
  });
});
