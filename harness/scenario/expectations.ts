import type { Expectation } from './scenario.ts';

/** The failure the write-up is about, exactly as users saw it on the callback page. */
export const REJECTED_AS_INVALID_STATE: Expectation = {
  outcome: 'fail',
  stage: 'state-lookup',
  message: 'Token exchange failed: Invalid or expired OAuth state parameter. Please restart the authentication flow.',
};

export const PASSES: Expectation = { outcome: 'pass' };
