/** judgeDoubleUse on fixed callback outcomes: one line per status. */
import { expect, test } from 'vitest';
import { judgeDoubleUse } from './double-use.ts';
import type { CallbackResult } from '../../deploy/flow/flow-steps.ts';

const success: CallbackResult = { outcome: 'success', status: 200, message: 'Authorization complete' };
const codeReused: CallbackResult = { outcome: 'error', status: 502, message: 'Token exchange failed: invalid_grant' };
const invalid: CallbackResult = { outcome: 'invalid-state', status: 400, message: 'Token exchange failed: Invalid or expired OAuth state parameter.' };
const silent: CallbackResult = { outcome: 'no-response', message: 'fetch failed' };

test.each([
  ['both lookups passed, both writes held → reproduced', [success, codeReused], 2, 'reproduced'],
  ['both lookups passed with no write at all (state carries the session) → reproduced', [success, codeReused], 0, 'reproduced'],
  ['one lookup refused although both writes were held → prevented', [success, invalid], 2, 'prevented'],
  ['one lookup refused and nothing was held → no unguarded write', [invalid, success], 0, 'no-unguarded-write'],
  ['both refused, nothing held → not applicable (nothing shared)', [invalid, invalid], 0, 'not-applicable'],
  ['both refused although a write was held → harness error', [invalid, invalid], 1, 'harness-error'],
  ['a callback never answered → harness error', [success, silent], 1, 'harness-error'],
] as const)('%s', (_name, results, held, status) => {
  expect(judgeDoubleUse(results as unknown as [CallbackResult, CallbackResult], held).status).toBe(status);
});

test('a callback that waited behind the held write is reported as serialised by the store', () => {
  const judged = judgeDoubleUse([success, invalid], 1, true);
  expect(judged.status).toBe('prevented');
  expect(judged.detail).toContain('waited behind the held write (the store serialises them)');
});

test("the provider's count of code exchanges outranks the pages: an error page after one exchange is no second lookup", () => {
  const brokenPage: CallbackResult = { outcome: 'error', status: 500, message: 'HTTP 500: store unavailable' };
  expect(judgeDoubleUse([success, brokenPage], 0, false).status).toBe('reproduced');
  const judged = judgeDoubleUse([success, brokenPage], 0, false, 1);
  expect(judged.status).toBe('no-unguarded-write');
  expect(judged.detail).toContain('the provider saw 1 code exchange');
});

// Regression: a callback held at a harness log, not its store, made a race that never happened read "prevented".
test('held only at writes that are not session writes: not forced (no verdict), never prevented', () => {
  const judged = judgeDoubleUse([success, invalid], 0, false, undefined, 2);
  expect(judged.status).toBe('not-forced');
  expect(judged.detail).toMatch(/^race not forced/);
});

// Regression: a callback that redeemed the code before checking the state was explained as "both state lookups succeeded" while its page said invalid state.
test('two exchanges at the provider with a page that refused the state: explained from the evidence, not inferred', () => {
  const judged = judgeDoubleUse([{ outcome: 'success', message: 'Signed in' }, { outcome: 'invalid-state', message: 'Invalid or expired OAuth state parameter.' }], 2, false, 2);
  expect(judged.status).toBe('reproduced');
  expect(judged.detail).toContain('the provider saw 2 code exchanges for one state, yet one page refused the state: a callback redeemed the code before (or without) checking the state');
  expect(judged.detail).not.toContain('both state lookups succeeded');
});
