/**
 * The one contract every session store implements. The OAuth manager, the
 * tool process, the callback process and the harness's store benchmarks see
 * only this interface, never a concrete store.
 *
 * Two namespaces cross the same process boundary: `sessions` (the OAuth
 * state with its PKCE verifier, written by start_oauth, consumed by the
 * callback) and `tokens` (written by the callback, read by the tool process).
 *
 * The remote mode (src/remote/: Streamable HTTP, MCP authorization as an
 * OAuth proxy, run as replicas) keeps six more, each one hop of its flow
 * that the next request may reach on another replica: `clients` (dynamic
 * registrations), `pendingAuthorizations` (its /authorize, waiting for the
 * provider's callback), `authorizationCodes` (its codes, waiting for /token),
 * `accessTokens` and `refreshTokens` (its tokens, mapped to the provider's)
 * and `mcpSessions`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';

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

/**
 * Every remote-mode record says when it stops being valid. The remote mode
 * checks it on every read (so a store that keeps records forever, as the
 * write-up's do, still never serves an expired one); the fixed stores also
 * forget or prune them by it.
 */
export interface ExpiringRecord {
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A dynamic client registration; its key is the client id. */
export interface ClientRegistration extends ExpiringRecord {
  /** What /register answered, but the client id (the record's key: a sealed record cannot hold its own key). */
  client: Omit<OAuthClientInformationFull, 'client_id'>;
}

/** An MCP client's /authorize, waiting for the provider's callback; its key is the state sent to the provider. */
export interface PendingAuthorization extends ExpiringRecord {
  clientId: string;
  redirectUri: string;
  /** The MCP client's S256 challenge, checked at /token. */
  codeChallenge: string;
  /** The MCP client's own state, given back with the code. */
  clientState?: string;
  scopes: string[];
  resource?: string;
  /** This server's PKCE verifier toward the provider. */
  upstreamCodeVerifier: string;
  createdAt: number;
}

/** A code this server issued to an MCP client, waiting for /token; its key is the code. */
export interface AuthorizationCodeGrant extends ExpiringRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  resource?: string;
  /** The provider's tokens, got with the provider's code at the callback. */
  upstream: StoredTokens;
}

/** An access token this server issued; its key is the token. */
export interface AccessTokenGrant extends ExpiringRecord {
  clientId: string;
  scopes: string[];
  resource?: string;
  upstream: StoredTokens;
}

/** A refresh token this server issued (single use: each refresh rotates it); its key is the token. */
export interface RefreshTokenGrant extends ExpiringRecord {
  clientId: string;
  scopes: string[];
  resource?: string;
  /** The provider's tokens; their refresh token renews them. */
  upstream: StoredTokens;
}

/** An MCP session; its key is the Mcp-Session-Id. What a replica needs to accept the id (the transport object stays in no store). */
export interface McpSessionRecord extends ExpiringRecord {
  clientId: string;
  createdAt: number;
}

export interface NamespaceRecords {
  sessions: OAuthSession;
  tokens: StoredTokens;
  clients: ClientRegistration;
  pendingAuthorizations: PendingAuthorization;
  authorizationCodes: AuthorizationCodeGrant;
  accessTokens: AccessTokenGrant;
  refreshTokens: RefreshTokenGrant;
  mcpSessions: McpSessionRecord;
}

export type Namespace = keyof NamespaceRecords;

/** The remote mode's namespaces: records with an expiresAt, kept like `tokens` otherwise. */
export const REMOTE_NAMESPACES = ['clients', 'pendingAuthorizations', 'authorizationCodes', 'accessTokens', 'refreshTokens', 'mcpSessions'] as const;
export type RemoteNamespace = (typeof REMOTE_NAMESPACES)[number];
export const NAMESPACES = ['sessions', 'tokens', ...REMOTE_NAMESPACES] as const satisfies readonly Namespace[];

export function isRemoteNamespace(ns: Namespace): ns is RemoteNamespace {
  return (REMOTE_NAMESPACES as readonly string[]).includes(ns);
}

/** True while a remote-mode record is valid at `now`. */
export function recordIsLive(record: ExpiringRecord, now: number = Date.now()): boolean {
  return Number.isFinite(record.expiresAt) && record.expiresAt > now;
}

/**
 * `memory` and `json-file` are the write-up's designs, flaws kept (they are
 * what is measured); the others are the fixes graded against them:
 * `atomic-file` and `sqlite` (one host), `redis` (several hosts),
 * `sealed-state` (the session travels inside the state itself).
 */
export const STORE_KINDS = ['memory', 'json-file', 'atomic-file', 'sqlite', 'redis', 'sealed-state'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Serves a store's tokens over the callback process's HTTP server (sealed-state's token relay). */
export interface TokenRelayEndpoint {
  /** Path prefix the callback server routes to handle(), e.g. `/internal/tokens`. */
  readonly pathPrefix: string;
  /** Answers one request under pathPrefix; never throws, never logs credentials. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

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
  /**
   * Makes the state for a new session, when the store carries the session
   * inside the state itself (sealed-state). The OAuth manager uses it instead
   * of 32 random bytes; the state it returns still holds at least 32 bytes of
   * randomness. Stores without it key sessions by a random state.
   */
  mintState?(session: Omit<OAuthSession, 'state'>): Promise<string>;
  /**
   * Makes the key of a new remote-mode record, when the store carries the
   * record inside its key (sealed-state: the registration inside the client
   * id, the pending authorization inside the provider's state, and so on).
   * The key holds at least 32 random bytes. Stores without it take any key;
   * the remote mode then makes 32 random bytes.
   */
  mintKey?<N extends RemoteNamespace>(ns: N, record: NamespaceRecords[N]): Promise<string>;
  /**
   * Present when the tokens namespace lives in the callback process's memory
   * and must be served to the tool process over HTTP (sealed-state).
   */
  readonly tokenRelay?: TokenRelayEndpoint;
  /**
   * true when the store forgets a session at its TTL by one clock of its own
   * (redis: `SET … PX` is counted down by the server's clock alone; the
   * writer turns its own timestamp into what is left of the TTL, reading
   * its own clock). A session it returns is live by that clock, so the OAuth
   * manager does not compare the session's timestamp (the writing process's
   * clock) with its own: two processes' clocks would then decide the TTL,
   * and any skew between them would move it. Absent: the manager checks.
   */
  readonly expiresBySelf?: boolean;
}

/** Sessions older than this are rejected at the callback (the write-up's 15min TTL). */
export const SESSION_TTL_MS = 15 * 60 * 1000;

/**
 * How far in the future a session timestamp may lie (clocks of two hosts
 * differ a little) before the fixed stores treat it as invalid. The
 * write-up's stores keep any future timestamp forever; the fixes do not.
 */
export const SESSION_CLOCK_SKEW_MS = 60 * 1000;

/** True when a session created at `timestamp` is still usable at `now` (fixed stores only). */
export function sessionIsLive(timestamp: number, now: number = Date.now()): boolean {
  return Number.isFinite(timestamp) && timestamp > now - SESSION_TTL_MS && timestamp <= now + SESSION_CLOCK_SKEW_MS;
}

/** The exact text users saw, from the write-up, kept verbatim: the reproduction must show them the same words. */
export const INVALID_STATE_MESSAGE =
  'Invalid or expired OAuth state parameter. Please restart the authentication flow.';
export const TOKEN_EXCHANGE_FAILED_PREFIX = 'Token exchange failed: ';
