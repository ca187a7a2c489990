/**
 * The provider faults, as data: which mock knob makes Atlassian
 * misbehave, at which step of the flow, and what a clear message must name.
 * The patterns are deliberately loose (any wording a user can act on), since
 * the target is described, not known.
 */
import type { MockKnobs } from '../../deploy/services/mock-atlassian.ts';

export type FaultStep =
  /** The knob is set between authorize and the callback: the code exchange meets it. */
  | 'token-exchange'
  /** The knob is set before authorize: the consent screen meets it. */
  | 'authorize'
  /** No knob: a code already redeemed is brought back with a fresh state. */
  | 'code-replay';

export interface ProviderFaultCase {
  id: string;
  what: string;
  step: FaultStep;
  /** The knobs to set; a function of the deployment's HTTP timeout where the fault is about time. */
  knobs: (httpTimeoutMs: number) => MockKnobs;
  /** The flow is expected to succeed anyway (a slow answer below the timeout). */
  expectSuccess?: boolean;
  /** What the page must say for the user to know what happened. */
  clearMessage: RegExp;
}

export const PROVIDER_FAULT_CASES: readonly ProviderFaultCase[] = [
  {
    id: 'token-endpoint-500',
    what: 'token endpoint answers 500 (server_error)',
    step: 'token-exchange',
    knobs: () => ({ tokenEndpointFault: { status: 500 } }),
    clearMessage: /\b500\b|server[ _]error/i,
  },
  {
    id: 'token-endpoint-503',
    what: 'token endpoint answers 503 (temporarily_unavailable)',
    step: 'token-exchange',
    knobs: () => ({ tokenEndpointFault: { status: 503 } }),
    clearMessage: /\b503\b|unavailable/i,
  },
  {
    id: 'token-endpoint-hang',
    what: "token endpoint never answers (hangs past the provider timeout the target is given as input.providerTimeoutMs)",
    step: 'token-exchange',
    knobs: () => ({ tokenEndpointFault: 'hang' }),
    clearMessage: /time[sd]? ?out|did not answer|no answer/i,
  },
  {
    id: 'token-endpoint-slow',
    what: 'every Atlassian answer delayed by a quarter of the client timeout (below it)',
    step: 'token-exchange',
    knobs: (timeoutMs) => ({ latencyMs: Math.round(timeoutMs / 4) }),
    expectSuccess: true,
    clearMessage: /./,
  },
  {
    id: 'token-endpoint-invalid-grant',
    what: 'token endpoint answers 400 invalid_grant',
    step: 'token-exchange',
    knobs: () => ({ tokenEndpointFault: { error: 'invalid_grant' } }),
    clearMessage: /invalid_grant|invalid or expired|expired/i,
  },
  {
    id: 'token-endpoint-malformed-body',
    what: 'token endpoint answers 200 with an HTML body labelled application/json',
    step: 'token-exchange',
    knobs: () => ({ tokenEndpointFault: 'malformed' }),
    clearMessage: /malformed|not JSON|unexpected|invalid response/i,
  },
  {
    id: 'consent-denied',
    what: 'the user denies consent: Atlassian redirects back with error=access_denied',
    step: 'authorize',
    knobs: () => ({ denyConsent: true }),
    clearMessage: /access_denied|denied/i,
  },
  {
    id: 'code-replayed-at-token-endpoint',
    what: "an authorization code already redeemed by an earlier flow, brought back with a new flow's state",
    step: 'code-replay',
    knobs: () => ({}),
    clearMessage: /invalid_grant|already (been )?used|revoked/i,
  },
];
