import type { Expectation, Scenario } from './scenario.ts';
import { STORE_REACHES, type StoreProfile } from './store-profile.ts';

/** The failure the write-up is about, exactly as users saw it on the callback page. */
export const REJECTED_AS_INVALID_STATE: Extract<Expectation, { outcome: 'fail' }> = {
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

/** The expectation a scenario states for one store: by name when it names the store, else by the store's reach. */
export function expectationFor(scenario: Scenario, store: string, profile: StoreProfile | undefined): Expectation {
  const named = scenario.expect.stores?.[store];
  if (named) return named;
  if (!profile) throw new Error(`store "${store}" has no profile in the target: its reach (${STORE_REACHES.join(' | ')}) decides what scenario ${scenario.name} expects of it`);
  const byReach = scenario.expect[profile.reach];
  if (!byReach) throw new Error(`scenario ${scenario.name} declares no expectation for stores of reach "${profile.reach}" (store ${store})`);
  return byReach;
}
