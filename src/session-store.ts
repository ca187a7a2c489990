/**
 * The one contract every session store implements. The OAuth manager, the
 * tool process, the callback process and the harness's store benchmarks see
 * only this interface, never a concrete store.
 *
 * Two namespaces cross the same process boundary: `sessions` (the OAuth
 * state with its PKCE verifier, written by start_oauth, consumed by the
 * callback) and `tokens` (written by the callback, read by the tool process).
 */

/** What start_oauth stores under the state; the write-up's OAuthSession. */
export interface OAuthSession {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  /** Milliseconds since the epoch when the session was created. */
  timestamp: number;
  userEmail: string;
}

/** What the callback stores for the tool process once the code is exchanged. */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch when the access token expires. */
  expiresAt: number;
  scope: string;
  obtainedAt: number;
}

export interface NamespaceRecords {
  sessions: OAuthSession;
  tokens: StoredTokens;
}

export type Namespace = keyof NamespaceRecords;

export const STORE_KINDS = ['memory', 'json-file'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface SessionStore {
  readonly kind: StoreKind;
  /** Stores a record under key, replacing any previous one. */
  put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void>;
  /** Reads a record without consuming it. */
  get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined>;
  /** Reads and removes a record: the single use of an OAuth state. */
  take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined>;
  delete(ns: Namespace, key: string): Promise<void>;
  /** Number of records currently held in a namespace. */
  count(ns: Namespace): Promise<number>;
  /** Releases handles (files, connections). Safe to call twice. */
  close(): Promise<void>;
}

/** Sessions older than this are rejected at the callback (the write-up's 15min TTL). */
export const SESSION_TTL_MS = 15 * 60 * 1000;

/** The exact text users saw, from the write-up; DESIGN.md requires it verbatim. */
export const INVALID_STATE_MESSAGE =
  'Invalid or expired OAuth state parameter. Please restart the authentication flow.';
export const TOKEN_EXCHANGE_FAILED_PREFIX = 'Token exchange failed: ';
