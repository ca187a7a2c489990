/**
 * The one place a store kind becomes a store. Callers (the processes, the
 * harness's benchmarks) hold only the SessionStore interface.
 */
import { STORE_KINDS, type SessionStore, type StoreKind } from '../session-store.ts';
import { ConfigError, defaultSessionFile, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { MemorySessionStore } from './memory-store.ts';
import { JsonFileSessionStore } from './json-file-store.ts';
import { AtomicFileSessionStore, defaultAtomicSessionFile } from './atomic-file-store.ts';
import { SqliteSessionStore, defaultSqliteFile, sqliteFileFor } from './sqlite-store.ts';
import { RedisSessionStore } from './redis-store.ts';
import { SealedStateSessionStore } from './sealed-state-store.ts';

export interface CreateSessionStoreOptions {
  /**
   * SESSION_FILE. json-file: the file (default: the write-up's
   * `${os.tmpdir()}/jira-oauth-sessions.json`). atomic-file: the file, in a
   * private folder (default `${os.tmpdir()}/jira-oauth-<uid>/sessions.json`).
   * sqlite: its `.json` becomes `.sqlite` (default
   * `${os.tmpdir()}/jira-oauth-<uid>/sessions.sqlite`).
   */
  sessionFile?: string;
  /** redis: REDIS_URL (required). */
  redisUrl?: string;
  /** redis: key prefix, default `oauth:`. */
  redisKeyPrefix?: string;
  /** sealed-state: SESSION_SEAL_KEY decoded (required). */
  sealKey?: Buffer;
  /** sealed-state: the callback process's origin, for a tool process that does not serve the callback. */
  tokenRelayOrigin?: string;
  tokenRelayTimeoutMs?: number;
  logger?: Logger;
}

const missing = (variable: string, kind: StoreKind, why: string): ConfigError =>
  new ConfigError([{ variable, problem: `Missing required environment variable ${variable} (SESSION_STORE=${kind} ${why})` }]);

export function createSessionStore(kind: StoreKind, options: CreateSessionStoreOptions = {}): SessionStore {
  switch (kind) {
    case 'memory':
      return new MemorySessionStore({ logger: options.logger });
    case 'json-file':
      return new JsonFileSessionStore({
        sessionFile: options.sessionFile ?? defaultSessionFile(),
        logger: options.logger,
      });
    case 'atomic-file':
      return new AtomicFileSessionStore({
        sessionFile: options.sessionFile ?? defaultAtomicSessionFile(),
        logger: options.logger,
      });
    case 'sqlite':
      return new SqliteSessionStore({
        databaseFile: options.sessionFile ? sqliteFileFor(options.sessionFile) : defaultSqliteFile(),
        logger: options.logger,
      });
    case 'redis':
      if (!options.redisUrl) throw missing('REDIS_URL', kind, 'keeps sessions in that Redis server');
      return new RedisSessionStore({ url: options.redisUrl, keyPrefix: options.redisKeyPrefix, logger: options.logger });
    case 'sealed-state':
      if (!options.sealKey) throw missing('SESSION_SEAL_KEY', kind, 'seals the OAuth state with it');
      return new SealedStateSessionStore({
        sealKey: options.sealKey,
        tokenRelayOrigin: options.tokenRelayOrigin,
        tokenRelayTimeoutMs: options.tokenRelayTimeoutMs,
        logger: options.logger,
      });
    default: {
      const unknownKind: never = kind;
      throw new Error(`Unknown session store "${String(unknownKind)}": expected one of ${STORE_KINDS.join(', ')}`);
    }
  }
}

/**
 * The store options an entry point passes, from its configuration. A process
 * that does not serve the callback reaches sealed-state's tokens through the
 * token relay at OAUTH_REDIRECT_URI's origin (the callback process).
 */
export function sessionStoreOptionsFromConfig(config: Config, role: { servesCallback: boolean }): CreateSessionStoreOptions {
  return {
    sessionFile: config.sessionFile,
    redisUrl: config.redisUrl,
    sealKey: config.sessionSealKey,
    tokenRelayOrigin: !role.servesCallback && config.redirectUri ? new URL(config.redirectUri).origin : undefined,
    tokenRelayTimeoutMs: Math.min(config.httpTimeoutMs, 5000),
  };
}
