/**
 * Counting a flow's code exchanges from the provider's request log: the
 * OAuth grant by its name, GitHub's (which sends no grant_type) by the code
 * it carries, and nothing else (a refresh, another client, an earlier one).
 */
import { expect, test } from 'vitest';
import type { MockAtlassian } from '../../deploy/services/mock-atlassian.ts';
import { exchangesSince } from './provider-exchanges.ts';

const log = [
  { seq: 1, path: '/oauth/token', body: { grant_type: 'authorization_code', client_id: 'c', code: '…' }, status: 200 },
  { seq: 2, path: '/oauth/token', body: { grant_type: 'authorization_code', client_id: 'c', code: '…' }, status: 200 },
  { seq: 3, path: '/login/oauth/access_token', body: { client_id: 'c', code: '…' }, status: 200, error: 'bad_verification_code' },
  { seq: 4, path: '/oauth/token', body: { grant_type: 'refresh_token', client_id: 'c', refresh_token: '…' }, status: 200 },
  { seq: 5, path: '/oauth/token', body: { grant_type: 'authorization_code', client_id: 'other', code: '…' }, status: 200 },
];
const mock = { requests: async () => log } as unknown as MockAtlassian;

test('exchanges of one client after the mark: the named grant and a GitHub token request with a code, not a refresh', async () => {
  expect(await exchangesSince(mock, { seq: 1 }, 'c')).toEqual([{ status: 200 }, { status: 200, error: 'bad_verification_code' }]);
  expect(await exchangesSince(mock, undefined, 'c')).toBeUndefined();
});
