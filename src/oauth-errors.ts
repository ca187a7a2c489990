/**
 * Typed errors of the OAuth flow. Each carries a stable `code` so pages, tool
 * results and the harness can tell outcomes apart without parsing prose.
 */
import { INVALID_STATE_MESSAGE } from './session-store.ts';

export type OAuthErrorCode =
  | 'invalid_state'
  | 'provider_error'
  | 'token_endpoint_timeout'
  | 'token_endpoint_server_error'
  | 'token_endpoint_malformed_response'
  | 'token_endpoint_unreachable'
  | 'not_authenticated'
  | 'redirect_uri_unset'
  /** An OpenID provider's discovery document could not be read or names another issuer. */
  | 'discovery_failed';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Unknown, already used, or expired state. The message is the write-up's text, verbatim. */
export class OAuthStateError extends OAuthError {
  constructor(readonly reason: 'unknown' | 'expired') {
    super('invalid_state', INVALID_STATE_MESSAGE);
  }
}

/** The token endpoint answered with an OAuth error body (`{error, error_description}`). */
export class OAuthProviderError extends OAuthError {
  constructor(
    readonly error: string,
    readonly errorDescription: string | undefined,
    readonly status: number,
  ) {
    super('provider_error', errorDescription ? `${error}: ${errorDescription}` : error);
  }
}

export class TokenEndpointTimeoutError extends OAuthError {
  constructor(
    readonly timeoutMs: number,
    readonly url: string,
  ) {
    super('token_endpoint_timeout', `Atlassian token endpoint did not answer within ${timeoutMs} ms (${url})`);
  }
}

export class TokenEndpointServerError extends OAuthError {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super('token_endpoint_server_error', `Atlassian token endpoint failed with HTTP ${status} (${url})`);
  }
}

export class TokenEndpointMalformedResponseError extends OAuthError {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super('token_endpoint_malformed_response', `Atlassian token endpoint sent a malformed response (HTTP ${status}): ${detail}`);
  }
}

export class TokenEndpointUnreachableError extends OAuthError {
  constructor(url: string, cause: unknown) {
    super('token_endpoint_unreachable', `Atlassian token endpoint unreachable (${url}): ${describeCause(cause)}`, { cause });
  }
}

export class NotAuthenticatedError extends OAuthError {
  constructor(userEmail: string, detail = 'no token is stored') {
    super('not_authenticated', `Not authenticated with Atlassian for ${userEmail}: ${detail}. Run the start_oauth tool first and complete the authorization in the browser.`);
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    const innerText = inner instanceof Error ? ` (${inner.message})` : '';
    return `${cause.message}${innerText}`;
  }
  return String(cause);
}

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}
