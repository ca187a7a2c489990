import type { Expectation } from './scenario.ts';

/** The failure the write-up is about, exactly as users saw it on the callback page. */
export const REJECTED_AS_INVALID_STATE: Expectation = {
  outcome: 'fail',
  stage: 'state-lookup',
  message: 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.',
};

/** A one-host store in a topology with no shared host: expected, and said why. */
export const NO_SHARED_DISK: Expectation = {
  ...REJECTED_AS_INVALID_STATE,
  why: 'a one-host store: isolated processes share no disk, so the state written by one is not there for the other',
};

export const PASSES: Expectation = { outcome: 'pass' };
