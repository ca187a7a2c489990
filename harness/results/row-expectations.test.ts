import { describe, expect, test } from 'vitest';
import { gateGroupOf, rowExpectations, writeUpDesign, type KnownFailure } from './row-expectations.ts';

/** An accepted failure as a caller passes it (the accepted ones of src/ live in its verdict baseline). */
const KNOWN: KnownFailure[] = [{ row: 'forced-double-use', store: 'sealed-state', why: 'the session travels sealed inside the state and nothing records its use' }];
import { PROFILES, rows } from './test-fixtures/gate-document.ts';

const expected = (row: string, store: string) => rowExpectations(rows(), PROFILES).find((e) => e.row === row && e.store === store)?.expected;

describe('row expectations, computed from the rows and the stores', () => {
  test('hostile input and provider faults do not depend on the store: every store, the write-up designs too, is expected to pass', () => {
    for (const store of Object.keys(PROFILES)) {
      expect(expected('hostile/400-invalid-state/state-script', store)).toBe('pass');
      expect(expected('provider-fault/token-endpoint-500', store)).toBe('pass');
    }
  });

  test('a row recorded without a verdict gets no expectation', () => {
    expect(rowExpectations(rows(), PROFILES).filter((e) => e.row === 'provider-fault/state-survives-retry')).toEqual([]);
  });

  test("faults and security: the write-up's designs get none (their failures are the findings), a store we ship is expected to pass", () => {
    expect(expected('security/session-file-mode', 'memory')).toBeUndefined();
    expect(expected('security/session-file-mode', 'json-file')).toBeUndefined();
    expect(expected('security/session-file-mode', 'atomic-file')).toBe('pass');
    expect(expected('forced-double-use', 'atomic-file')).toBe('pass');
  });

  test('a known failure is expected to fail, with its reason', () => {
    const double = rowExpectations(rows(), PROFILES, KNOWN).find((e) => e.row === 'forced-double-use' && e.store === 'sealed-state');
    expect(double).toMatchObject({ expected: 'fail', why: expect.stringMatching(/^known failure: the session travels sealed/) });
    // Without a list (a target's first run) nothing is excused.
    expect(rowExpectations(rows(), PROFILES).find((e) => e.row === 'forced-double-use' && e.store === 'sealed-state')?.expected).toBe('pass');
  });

  test('the write-up designs are found from the profile (process reach) and the write-up store, not listed by hand', () => {
    expect(writeUpDesign('static-map', { reach: 'process' })).toMatch(/original bug/);
    expect(writeUpDesign('json-file', { reach: 'host' })).toMatch(/write-up's fix/);
    expect(writeUpDesign('sqlite', { reach: 'host' })).toBeUndefined();
    expect(writeUpDesign('redis', { reach: 'hosts' })).toBeUndefined();
  });

  test('groups for --fail-on: hostile input is security, provider faults and faults are reliability', () => {
    expect([gateGroupOf('security'), gateGroupOf('hostile-input'), gateGroupOf('fault'), gateGroupOf('provider-fault')]).toEqual(['security', 'security', 'reliability', 'reliability']);
  });
});
