/**
 * How a store kind and its options become a store, given the store's module.
 * Shared by createSessionStore (every module imported up front: tests and
 * the harness's store benchmarks) and openSessionStore (only the chosen
 * module loaded: the entry points), so the two cannot drift apart.
 */
import { STORE_KINDS, type SessionStore, type StoreKind } from '../session-store.ts';
import { ConfigError, defaultSessionFile, type Config } from '../config.ts';
import type { Logger } from '../log.ts';

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

/** The module each store kind lives in (type-only here: whoever calls constructSessionStore loads it). */
export interface StoreModules {
  memory: typeof import('./memory-store.ts');
  'json-file': typeof import('./json-file-store.ts');
  'atomic-file': typeof import('./atomic-file-store.ts');
  sqlite: typeof import('./sqlite-store.ts');
  redis: typeof import('./redis-store.ts');
  'sealed-state': typeof import('./sealed-state-store.ts');
}

const missing = (variable: string, kind: StoreKind, why: string): ConfigError =>
  new ConfigError([{ variable, problem: `Missing required environment variable ${variable} (SESSION_STORE=${kind} ${why})` }]);

/** `modules` holds at least the module of `kind`. */
export function constructSessionStore(kind: StoreKind, options: CreateSessionStoreOptions, modules: Partial<StoreModules>): SessionStore {
  const moduleOf = <K extends StoreKind>(k: K): StoreModules[K] => {
    const module = modules[k];
    if (!module) throw new Error(`session store "${k}": its module was not loaded`);
    return module as StoreModules[K];
  };
  switch (kind) {
    case 'memory':
      return new (moduleOf('memory').MemorySessionStore)({ logger: options.logger });
    case 'json-file':
      return new (moduleOf('json-file').JsonFileSessionStore)({
        sessionFile: options.sessionFile ?? defaultSessionFile(),
        logger: options.logger,
      });
    case 'atomic-file': {
      const { AtomicFileSessionStore, defaultAtomicSessionFile } = moduleOf('atomic-file');
      return new AtomicFileSessionStore({
        sessionFile: options.sessionFile ?? defaultAtomicSessionFile(),
        logger: options.logger,
      });
    }
    case 'sqlite': {
      const { SqliteSessionStore, defaultSqliteFile, sqliteFileFor } = moduleOf('sqlite');
      return new SqliteSessionStore({
        databaseFile: options.sessionFile ? sqliteFileFor(options.sessionFile) : defaultSqliteFile(),
        logger: options.logger,
      });
    }
    case 'redis':
      if (!options.redisUrl) throw missing('REDIS_URL', kind, 'keeps sessions in that Redis server');
      return new (moduleOf('redis').RedisSessionStore)({ url: options.redisUrl, keyPrefix: options.redisKeyPrefix, logger: options.logger });
    case 'sealed-state':
      if (!options.sealKey) throw missing('SESSION_SEAL_KEY', kind, 'seals the OAuth state with it');
      return new (moduleOf('sealed-state').SealedStateSessionStore)({
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
export function sessionStoreOptionsFromConfig(
  config: Pick<Config, 'sessionFile' | 'redisUrl' | 'sessionSealKey' | 'httpTimeoutMs'> & { redirectUri?: string | undefined },
  role: { servesCallback: boolean },
): CreateSessionStoreOptions {
  return {
    sessionFile: config.sessionFile,
    redisUrl: config.redisUrl,
    sealKey: config.sessionSealKey,
    tokenRelayOrigin: !role.servesCallback && config.redirectUri ? new URL(config.redirectUri).origin : undefined,
    tokenRelayTimeoutMs: Math.min(config.httpTimeoutMs, 5000),
  };
}
