/**
 * No shared store for the state: the session travels INSIDE `state`, sealed
 * with AES-256-GCM under SESSION_SEAL_KEY (sealed-session.ts). The tool
 * process mints the state; whichever process gets the callback opens it with
 * the same key. Nothing has to be shared but the key, so this works across
 * processes, containers and hosts, and survives restarts of either side.
 *
 * - mintState() seals the session; put() checks that the record is the one
 *   sealed in its state (and remembers it for count()); get()/take() open it.
 * - Expiry is the sealed timestamp's: 15 minutes, and a timestamp more than
 *   SESSION_CLOCK_SKEW_MS in the future is refused. A tampered, truncated or
 *   foreign-key state does not open: "Invalid or expired OAuth state".
 * - Replay: take() (and delete()) records the state's nonce as used, in this
 *   process, until the state expires; a second take of it here is refused,
 *   as with a store.
 *
 * What remains possible without a shared store, said plainly: the used-state
 * set lives in ONE process's memory. A state replayed to ANOTHER callback
 * instance, or to this one after a restart, within its 15 minutes, opens
 * there as new. The replayed request still fails at the provider, because an
 * authorization code is single-use (and bound to this redirect URI and PKCE
 * verifier), so no second token set is issued; but the state itself is not
 * single-use across instances. Only a shared store (sqlite on one host,
 * redis across hosts) makes it so.
 *
 * count('sessions') is this process's view: states minted or put here, not
 * yet used, not expired. A state minted elsewhere is invisible until used.
 *
 * The remote mode's records are sealed into their own keys (sealed-record.ts,
 * one subkey per namespace), minted by mintKey(): the registration inside
 * the client id, the pending authorization inside the state sent to the
 * provider, the provider's tokens inside this server's code, access token
 * and refresh token, the MCP session's client inside the Mcp-Session-Id. Any
 * replica with the key opens them. The same limit as for states, said
 * plainly: take() and delete() are remembered in ONE process only, so a
 * code (or refresh token) redeemed on one replica can be redeemed again on
 * another (a second access token for the same provider tokens), and a deleted MCP session
 * still opens on another replica until it expires. Nothing can be revoked
 * before its expiresAt.
 *
 * Tokens: the callback process keeps them in memory (a static map, shared by
 * every instance in the process) and serves them through the token relay
 * (token-relay.ts, `tokenRelay` below); a tool process given the callback's
 * origin reads and writes them there instead.
 */
import {
  isRemoteNamespace,
  recordIsLive,
  sessionIsLive,
  SESSION_CLOCK_SKEW_MS,
  SESSION_TTL_MS,
  type Namespace,
  type NamespaceRecords,
  type OAuthSession,
  type RemoteNamespace,
  type SessionStore,
  type StoredTokens,
  type TokenRelayEndpoint,
} from '../session-store.ts';
import { createLogger, registerSecret, shortId, type Logger } from '../log.ts';
import { SessionSealer, type UnsealedSession } from './sealed-session.ts';
import { RecordSealer } from './sealed-record.ts';
import { TokenRelayClient, createTokenRelayEndpoint, tokenRelayCredential } from './token-relay.ts';

export interface SealedStateStoreOptions {
  /** SESSION_SEAL_KEY, decoded: 32 bytes. */
  sealKey: Buffer;
  /**
   * Origin of the callback process that holds the tokens (the tool process of
   * a split topology). Absent: tokens are kept here and served by `tokenRelay`.
   */
  tokenRelayOrigin?: string;
  tokenRelayTimeoutMs?: number;
  logger?: Logger;
}

export class SealedStateMismatchError extends Error {
  readonly code = 'sealed_state_mismatch';
  constructor(state: string, problem: string) {
    super(`sealed-state: cannot put a session under ${shortId(state)}: ${problem}`);
    this.name = 'SealedStateMismatchError';
  }
}

const sameSession = (a: UnsealedSession, b: OAuthSession): boolean =>
  a.codeVerifier === b.codeVerifier && a.redirectUri === b.redirectUri && a.timestamp === b.timestamp && a.userEmail === b.userEmail;

/** Until when a state sealed at `timestamp` could still open: after that, expiry refuses it anyway. */
const openableUntil = (timestamp: number): number => timestamp + SESSION_TTL_MS;

export class SealedStateSessionStore implements SessionStore {
  readonly kind = 'sealed-state' as const;
  readonly tokenRelay: TokenRelayEndpoint | undefined;

  /** Nonces of states taken or deleted in this process → when they would expire anyway. */
  private static readonly used = new Map<string, number>();
  /** States minted or put in this process, by nonce → expiry; for count() only. */
  private static readonly issued = new Map<string, number>();
  private static readonly tokens = new Map<string, StoredTokens>();
  /** Remote-mode records put in this process, by `<namespace>:<nonce>` → expiresAt; for count() only. */
  private static readonly recordsIssued = new Map<string, number>();
  private static lastPrune = 0;

  /** Empties the process-wide sets. For tests only. */
  static clearAllForTesting(): void {
    SealedStateSessionStore.used.clear();
    SealedStateSessionStore.issued.clear();
    SealedStateSessionStore.tokens.clear();
    SealedStateSessionStore.recordsIssued.clear();
  }

  private readonly sealer: SessionSealer;
  private readonly recordSealers = new Map<RemoteNamespace, RecordSealer>();
  private readonly sealKey: Buffer;
  private readonly relay: TokenRelayClient | undefined;
  private readonly log: Logger;

  constructor(options: SealedStateStoreOptions) {
    this.sealer = new SessionSealer(options.sealKey);
    this.sealKey = options.sealKey;
    this.log = options.logger ?? createLogger('sealed-state-store');
    const credential = tokenRelayCredential(options.sealKey);
    // Masked in every log line, should one ever carry them.
    registerSecret(options.sealKey.toString('base64url'));
    registerSecret(credential);
    if (options.tokenRelayOrigin) {
      this.relay = new TokenRelayClient({ origin: options.tokenRelayOrigin, credential, timeoutMs: options.tokenRelayTimeoutMs });
      this.tokenRelay = undefined;
    } else {
      this.relay = undefined;
      const map = SealedStateSessionStore.tokens;
      this.tokenRelay = createTokenRelayEndpoint({
        credential,
        log: this.log.child('token-relay'),
        backend: {
          get: (user) => map.get(user),
          put: (user, tokens) => void map.set(user, tokens),
          take: (user) => {
            const tokens = map.get(user);
            map.delete(user);
            return tokens;
          },
          count: () => map.size,
        },
      });
    }
  }

  async mintState(session: Omit<OAuthSession, 'state'>): Promise<string> {
    return this.sealer.seal(session);
  }

  async mintKey<N extends RemoteNamespace>(ns: N, record: NamespaceRecords[N]): Promise<string> {
    return this.recordSealer(ns).seal(record);
  }

  private recordSealer(ns: RemoteNamespace): RecordSealer {
    let sealer = this.recordSealers.get(ns);
    if (!sealer) {
      sealer = new RecordSealer(this.sealKey, ns);
      this.recordSealers.set(ns, sealer);
    }
    return sealer;
  }

  /** Opens a remote-mode key and applies expiresAt and the used set. */
  private openRecord(ns: RemoteNamespace, key: string): { record: NamespaceRecords[RemoteNamespace]; usedKey: string } | undefined {
    const opened = this.recordSealer(ns).open(key);
    if (!opened.ok) {
      this.log.warn(`❌ ${ns} key ${shortId(key)} does not open: ${opened.reason}`);
      return undefined;
    }
    const record = opened.record as NamespaceRecords[RemoteNamespace];
    const usedKey = `${ns}:${opened.nonce}`;
    if (!recordIsLive(record) || SealedStateSessionStore.used.has(usedKey)) return undefined;
    return { record, usedKey };
  }

  /** Opens a state and applies expiry and the used set; logs why a state is refused. */
  private openLive(state: string): { session: OAuthSession; nonce: string } | undefined {
    const opened = this.sealer.open(state);
    if (!opened.ok) {
      this.log.warn(`❌ State ${shortId(state)} does not open: ${opened.reason}`);
      return undefined;
    }
    const { session, nonce } = opened;
    const now = Date.now();
    if (!sessionIsLive(session.timestamp, now)) {
      const why = session.timestamp > now + SESSION_CLOCK_SKEW_MS ? 'dated in the future' : 'expired';
      this.log.warn(`⌛ State ${shortId(state)} is ${why} (sealed at ${new Date(session.timestamp).toISOString()})`);
      return undefined;
    }
    if (SealedStateSessionStore.used.has(nonce)) {
      this.log.warn(`🔁 State ${shortId(state)} was already used in this process`);
      return undefined;
    }
    return { session: { state, ...session }, nonce };
  }

  private static prune(now: number): void {
    if (now - SealedStateSessionStore.lastPrune < 10_000) return;
    SealedStateSessionStore.lastPrune = now;
    for (const map of [SealedStateSessionStore.used, SealedStateSessionStore.issued]) {
      for (const [nonce, until] of map) if (until < now) map.delete(nonce);
    }
  }

  /** Marks a remote-mode key used in this process until it expires anyway; synchronous, like markUsed. */
  private markRecordUsed(usedKey: string, expiresAt: number): void {
    SealedStateSessionStore.prune(Date.now());
    SealedStateSessionStore.used.set(usedKey, expiresAt);
    SealedStateSessionStore.recordsIssued.delete(usedKey);
  }

  /** Marks a state used; synchronous, so two takes in one process cannot both pass. */
  private markUsed(nonce: string, timestamp: number): void {
    const now = Date.now();
    SealedStateSessionStore.prune(now);
    SealedStateSessionStore.used.set(nonce, openableUntil(timestamp));
    SealedStateSessionStore.issued.delete(nonce);
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    if (isRemoteNamespace(ns)) {
      const opened = this.recordSealer(ns).open(key);
      if (!opened.ok) throw new SealedStateMismatchError(key, `the key is not a ${ns} key minted by this store (${opened.reason})`);
      if (JSON.stringify(opened.record) !== JSON.stringify(record)) {
        throw new SealedStateMismatchError(key, `the record differs from the ${ns} record sealed in the key`);
      }
      const { expiresAt } = record as NamespaceRecords[RemoteNamespace];
      const usedKey = `${ns}:${opened.nonce}`;
      if (recordIsLive({ expiresAt }) && !SealedStateSessionStore.used.has(usedKey)) SealedStateSessionStore.recordsIssued.set(usedKey, expiresAt);
      return;
    }
    if (ns === 'tokens') {
      if (this.relay) await this.relay.put(key, record as StoredTokens);
      else SealedStateSessionStore.tokens.set(key, record as StoredTokens);
      return;
    }
    const opened = this.sealer.open(key);
    if (!opened.ok) throw new SealedStateMismatchError(key, `the key is not a state minted by this store (${opened.reason})`);
    if (!sameSession(opened.session, record as OAuthSession)) {
      throw new SealedStateMismatchError(key, 'the record differs from the session sealed in the state');
    }
    // Nothing to store: the session is in the state. Remembered for count() while it can be used.
    if (sessionIsLive(opened.session.timestamp) && !SealedStateSessionStore.used.has(opened.nonce)) {
      SealedStateSessionStore.issued.set(opened.nonce, openableUntil(opened.session.timestamp));
    }
    this.log.info(`💾 Sealed session in state ${shortId(key)} (${key.length} characters)`);
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    if (isRemoteNamespace(ns)) return this.openRecord(ns, key)?.record as NamespaceRecords[N] | undefined;
    if (ns === 'tokens') {
      return (this.relay ? await this.relay.get(key) : SealedStateSessionStore.tokens.get(key)) as NamespaceRecords[N] | undefined;
    }
    return this.openLive(key)?.session as NamespaceRecords[N] | undefined;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    if (isRemoteNamespace(ns)) {
      const opened = this.openRecord(ns, key);
      if (!opened) return undefined;
      this.markRecordUsed(opened.usedKey, opened.record.expiresAt);
      return opened.record as NamespaceRecords[N];
    }
    if (ns === 'tokens') {
      if (this.relay) return (await this.relay.take(key)) as NamespaceRecords[N] | undefined;
      const tokens = SealedStateSessionStore.tokens.get(key);
      SealedStateSessionStore.tokens.delete(key);
      return tokens as NamespaceRecords[N] | undefined;
    }
    const live = this.openLive(key);
    if (!live) return undefined;
    this.markUsed(live.nonce, live.session.timestamp);
    this.log.info(`🔓 Opened sealed state ${shortId(key)}`);
    return live.session as NamespaceRecords[N];
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    if (isRemoteNamespace(ns)) {
      const opened = this.recordSealer(ns).open(key);
      if (opened.ok) this.markRecordUsed(`${ns}:${opened.nonce}`, (opened.record as NamespaceRecords[RemoteNamespace]).expiresAt);
      return;
    }
    if (ns === 'tokens') {
      if (this.relay) await this.relay.take(key);
      else SealedStateSessionStore.tokens.delete(key);
      return;
    }
    const opened = this.sealer.open(key);
    if (opened.ok) this.markUsed(opened.nonce, opened.session.timestamp);
  }

  async count(ns: Namespace): Promise<number> {
    if (isRemoteNamespace(ns)) {
      const now = Date.now();
      let live = 0;
      for (const [usedKey, until] of SealedStateSessionStore.recordsIssued) {
        if (until <= now) SealedStateSessionStore.recordsIssued.delete(usedKey);
        else if (usedKey.startsWith(`${ns}:`)) live += 1;
      }
      return live;
    }
    if (ns === 'tokens') return this.relay ? this.relay.count() : SealedStateSessionStore.tokens.size;
    const now = Date.now();
    let live = 0;
    for (const [nonce, until] of SealedStateSessionStore.issued) {
      if (until < now) SealedStateSessionStore.issued.delete(nonce);
      else live += 1;
    }
    return live;
  }

  async close(): Promise<void> {
    // Nothing held: the sets are process-wide, and relay requests carry their own timeouts.
  }
}
