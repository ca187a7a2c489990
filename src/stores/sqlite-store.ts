/**
 * Sessions in an embedded SQLite database (better-sqlite3): one host, any
 * number of processes, no server to run.
 *
 * - SQLite does the locking and the atomicity; WAL mode lets readers go on
 *   while one process writes, and busy_timeout makes a writer wait for
 *   another instead of failing with SQLITE_BUSY.
 * - take() is ONE statement, `DELETE … RETURNING`: two callbacks racing on
 *   one state cannot both get the row, in one process or across many.
 * - Expiry lives in the queries (`timestamp > now - TTL AND timestamp <= now
 *   + skew`), so an expired or future-dated session is never returned, and
 *   each put() deletes the ones that are (through an index on timestamp).
 * - The database sits in a private folder like atomic-file's (0700; the file
 *   and its -wal/-shm companions 0600, ours, no symlinks). The file is
 *   created 0600 before SQLite opens it; SQLite gives -wal and -shm the
 *   database file's mode.
 * - synchronous=NORMAL: in WAL mode a commit survives a crash of the process
 *   (the scenarios' fault), only an OS crash or power cut may lose the last
 *   commits: acceptable for records that live 15 minutes, and much faster.
 *
 * - The remote mode's namespaces share one table, `records`, keyed by
 *   (namespace, key), with the record's expiresAt as a column: a read never
 *   returns an expired record, and each put of one deletes the expired ones.
 *
 * better-sqlite3 is synchronous: a call blocks the event loop for its
 * duration (microseconds, or up to busy_timeout while another process holds
 * the write lock).
 */
import Database from 'better-sqlite3';
import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import path from 'node:path';
import {
  isRemoteNamespace,
  SESSION_CLOCK_SKEW_MS,
  SESSION_TTL_MS,
  type Namespace,
  type NamespaceRecords,
  type RemoteNamespace,
  type SessionStore,
} from '../session-store.ts';
import { createLogger, shortId, type Logger } from '../log.ts';
import { PRIVATE_FILE_MODE, checkPrivateFile, defaultPrivateStoreDir, ensurePrivateDir } from './private-path.ts';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** The database beside a sessions path: `x.json` becomes `x.sqlite` (appended when there is no `.json`). */
export function sqliteFileFor(sessionFile: string): string {
  return sessionFile.endsWith('.json') ? `${sessionFile.slice(0, -'.json'.length)}.sqlite` : `${sessionFile}.sqlite`;
}

export function defaultSqliteFile(): string {
  return path.join(defaultPrivateStoreDir(), 'sessions.sqlite');
}

export interface SqliteStoreOptions {
  /** The database file; its folder must be private (created 0700 when missing). */
  databaseFile: string;
  logger?: Logger;
  busyTimeoutMs?: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sessions (
    state TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    timestamp INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS sessions_by_timestamp ON sessions (timestamp);
  CREATE TABLE IF NOT EXISTS tokens (
    user TEXT PRIMARY KEY,
    record TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS records (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    record TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS records_by_expiry ON records (expires_at);
`;

interface Statements {
  putSession: Database.Statement<[string, string, number]>;
  /** Two range deletes, not one `OR`: each walks only its end of the timestamp index. */
  pruneExpired: Database.Statement<[number]>;
  pruneFuture: Database.Statement<[number]>;
  getSession: Database.Statement<[string, number, number], { record: string }>;
  takeSession: Database.Statement<[string, number, number], { record: string }>;
  deleteSession: Database.Statement<[string]>;
  countSessions: Database.Statement<[number, number], { n: number }>;
  putTokens: Database.Statement<[string, string]>;
  getTokens: Database.Statement<[string], { record: string }>;
  takeTokens: Database.Statement<[string], { record: string }>;
  deleteTokens: Database.Statement<[string]>;
  countTokens: Database.Statement<[], { n: number }>;
  putRecord: Database.Statement<[string, string, string, number]>;
  pruneRecords: Database.Statement<[number]>;
  getRecord: Database.Statement<[string, string, number], { record: string }>;
  takeRecord: Database.Statement<[string, string, number], { record: string }>;
  deleteRecord: Database.Statement<[string, string]>;
  countRecords: Database.Statement<[string, number], { n: number }>;
}

/** The live window as query parameters: (oldest excluded, newest included). */
function window(now = Date.now()): [number, number] {
  return [now - SESSION_TTL_MS, now + SESSION_CLOCK_SKEW_MS];
}

export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite' as const;
  readonly databaseFile: string;
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly putSessionTx: (state: string, record: string, timestamp: number) => void;
  private readonly putRecordTx: (ns: RemoteNamespace, key: string, record: string, expiresAt: number) => void;
  private readonly log: Logger;

  constructor(options: SqliteStoreOptions) {
    this.databaseFile = path.resolve(options.databaseFile);
    this.log = options.logger ?? createLogger('sqlite-store');
    ensurePrivateDir(path.dirname(this.databaseFile));
    if (checkPrivateFile(this.databaseFile) === 'missing') {
      try {
        // Created here, 0600 and without following a symlink, so SQLite never makes it with the umask's mode.
        closeSync(
          openSync(
            this.databaseFile,
            fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW,
            PRIVATE_FILE_MODE,
          ),
        );
      } catch (error) {
        // Another process created it first: fine, it is checked below like any existing file.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    checkPrivateFile(this.databaseFile);
    for (const companion of ['-wal', '-shm', '-journal']) checkPrivateFile(`${this.databaseFile}${companion}`);

    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.db = new Database(this.databaseFile, { timeout: busyTimeoutMs });
    try {
      switchToWal(this.db, busyTimeoutMs);
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
      this.sql = {
        putSession: this.db.prepare('INSERT OR REPLACE INTO sessions (state, record, timestamp) VALUES (?, ?, ?)'),
        pruneExpired: this.db.prepare('DELETE FROM sessions WHERE timestamp <= ?'),
        pruneFuture: this.db.prepare('DELETE FROM sessions WHERE timestamp > ?'),
        getSession: this.db.prepare('SELECT record FROM sessions WHERE state = ? AND timestamp > ? AND timestamp <= ?'),
        takeSession: this.db.prepare('DELETE FROM sessions WHERE state = ? AND timestamp > ? AND timestamp <= ? RETURNING record'),
        deleteSession: this.db.prepare('DELETE FROM sessions WHERE state = ?'),
        countSessions: this.db.prepare('SELECT count(*) AS n FROM sessions WHERE timestamp > ? AND timestamp <= ?'),
        putTokens: this.db.prepare('INSERT OR REPLACE INTO tokens (user, record) VALUES (?, ?)'),
        getTokens: this.db.prepare('SELECT record FROM tokens WHERE user = ?'),
        takeTokens: this.db.prepare('DELETE FROM tokens WHERE user = ? RETURNING record'),
        deleteTokens: this.db.prepare('DELETE FROM tokens WHERE user = ?'),
        countTokens: this.db.prepare('SELECT count(*) AS n FROM tokens'),
        putRecord: this.db.prepare('INSERT OR REPLACE INTO records (namespace, key, record, expires_at) VALUES (?, ?, ?, ?)'),
        pruneRecords: this.db.prepare('DELETE FROM records WHERE expires_at <= ?'),
        getRecord: this.db.prepare('SELECT record FROM records WHERE namespace = ? AND key = ? AND expires_at > ?'),
        takeRecord: this.db.prepare('DELETE FROM records WHERE namespace = ? AND key = ? AND expires_at > ? RETURNING record'),
        deleteRecord: this.db.prepare('DELETE FROM records WHERE namespace = ? AND key = ?'),
        countRecords: this.db.prepare('SELECT count(*) AS n FROM records WHERE namespace = ? AND expires_at > ?'),
      };
    } catch (error) {
      this.db.close();
      throw error;
    }
    // BEGIN IMMEDIATE: take the write lock up front, so two writers queue on
    // busy_timeout instead of deadlocking on a read-to-write upgrade.
    const tx = this.db.transaction((state: string, record: string, timestamp: number) => {
      const [oldest, newest] = window();
      this.sql.pruneExpired.run(oldest);
      this.sql.pruneFuture.run(newest);
      this.sql.putSession.run(state, record, timestamp);
    });
    this.putSessionTx = (state, record, timestamp) => tx.immediate(state, record, timestamp);
    const recordTx = this.db.transaction((ns: string, key: string, record: string, expiresAt: number) => {
      this.sql.pruneRecords.run(Date.now());
      this.sql.putRecord.run(ns, key, record, expiresAt);
    });
    this.putRecordTx = (ns, key, record, expiresAt) => recordTx.immediate(ns, key, record, expiresAt);
  }

  private parse<N extends Namespace>(ns: N, key: string, row: { record: string } | undefined): NamespaceRecords[N] | undefined {
    if (!row) return undefined;
    try {
      return JSON.parse(row.record) as NamespaceRecords[N];
    } catch (error) {
      this.log.warn(`⚠️ Unparseable ${ns} record under ${shortId(key)}: ${(error as Error).message}`);
      return undefined;
    }
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    if (isRemoteNamespace(ns)) {
      this.putRecordTx(ns, key, JSON.stringify(record), (record as NamespaceRecords[RemoteNamespace]).expiresAt);
    } else if (ns === 'sessions') {
      this.putSessionTx(key, JSON.stringify(record), (record as NamespaceRecords['sessions']).timestamp);
      this.log.info(`💾 Stored session ${shortId(key)} in ${this.databaseFile}`);
    } else {
      this.sql.putTokens.run(key, JSON.stringify(record));
    }
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    if (isRemoteNamespace(ns)) return this.parse(ns, key, this.sql.getRecord.get(ns, key, Date.now()));
    if (ns === 'tokens') return this.parse(ns, key, this.sql.getTokens.get(key));
    const record = this.parse(ns, key, this.sql.getSession.get(key, ...window()));
    this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    if (isRemoteNamespace(ns)) return this.parse(ns, key, this.sql.takeRecord.get(ns, key, Date.now()));
    if (ns === 'tokens') return this.parse(ns, key, this.sql.takeTokens.get(key));
    const record = this.parse(ns, key, this.sql.takeSession.get(key, ...window()));
    this.log.info(`🔍 Taking session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    if (isRemoteNamespace(ns)) {
      this.sql.deleteRecord.run(ns, key);
      return;
    }
    (ns === 'sessions' ? this.sql.deleteSession : this.sql.deleteTokens).run(key);
  }

  async count(ns: Namespace): Promise<number> {
    if (isRemoteNamespace(ns)) return this.sql.countRecords.get(ns, Date.now())?.n ?? 0;
    const row = ns === 'sessions' ? this.sql.countSessions.get(...window()) : this.sql.countTokens.get();
    return row?.n ?? 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * `PRAGMA journal_mode = WAL` needs the database to itself, and SQLite
 * answers SQLITE_BUSY at once, without its busy handler, when another
 * process is switching the same new file at that moment (two replicas that
 * start together: measured, 6 of 24 opens of one fresh file two at a time).
 * So the switch is tried again, briefly apart, until the busy timeout: the
 * same wait a write would get.
 */
function switchToWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() + wait > deadline) throw error;
      // A synchronous pause: the store is opened synchronously, and nothing else of this process can run before it is.
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}
