/**
 * What the repository scan counts as made up rather than reports: words (a
 * variable's name, a documentation anchor, dashed words), literals that say
 * they are not real, short ones; never a long random string.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { looksMadeUp } from './repo-secrets.ts';

test.each(['the-client-secret', 'OAUTH_CLIENT_SECRET', '#bad-refresh-token', 'standard-client-test-secret-0123456789', 'short'])('made up: %s', (literal) => {
  expect(looksMadeUp(literal)).toBe(true);
});

test('a long random string is reported, whatever its alphabet', () => {
  expect(looksMadeUp(randomBytes(24).toString('base64url'))).toBe(false);
  expect(looksMadeUp(randomBytes(20).toString('hex'))).toBe(false);
});
