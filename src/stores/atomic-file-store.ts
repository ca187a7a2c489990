/**
 * The write-up's file store, done the way a careful engineer would: one host,
 * any number of processes.
 *
 * - Private: the file lives in a 0700 folder of ours (default
 *   `${os.tmpdir()}/jira-oauth-<uid>/sessions.json`), is written 0600, and a
 *   symlink, a foreign owner or loose permissions is refused (private-path.ts).
 *   Reads open the file with O_NOFOLLOW and check the open descriptor.
 * - Serialised: every read-modify-write holds an inter-process lock
 *   (proper-lockfile: a `<file>.lock` directory made with mkdir, atomic on
 *   every local filesystem, its mtime refreshed while held, so a lock left by
 *   a killed process goes stale after `staleLockMs` and is taken over). Inside
 *   one process a promise chain queues writers first, so they do not poll.
 * - Atomic: the new content goes to a temp file beside it, is fsynced and
 *   renamed over the old one (write-file-atomic); a reader sees the old file
 *   or the new one, never half of one. Reads therefore need no lock.
 * - take() reads and deletes in ONE locked step: a state is redeemed once.
 * - Expiry is enforced on every read (15 min TTL; a timestamp more than
 *   SESSION_CLOCK_SKEW_MS in the future is invalid), and expired sessions
 *   are dropped by the next write.
 * - A file that does not parse (only something outside this store can
 *   produce one) is moved aside as `<file>.corrupt-<ms>` for inspection and
 *   the store goes on from empty, instead of the write-up's silent overwrite.
 *
 * Both namespaces live in the one file: `{"version":1,"sessions":{},"tokens":{}}`,
 * and the remote mode's beside them once written (`"clients":{}` and so on;
 * a file without them reads as empty there). A remote-mode record past its
 * `expiresAt` is never returned and is dropped by the next write.
 */
import { constants as fsConstants, renameSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import {
  isRemoteNamespace,
  recordIsLive,
  REMOTE_NAMESPACES,
  sessionIsLive,
  type Namespace,
  type NamespaceRecords,
  type OAuthSession,
  type RemoteNamespace,
  type SessionStore,
} from '../session-store.ts';
import { createLogger, shortId, type Logger } from '../log.ts';
import {
  PRIVATE_FILE_MODE,
  UnsafeStorePathError,
  checkPrivateFile,
  checkPrivateFileStats,
  defaultPrivateStoreDir,
  ensurePrivateDir,
} from './private-path.ts';

/** A lock whose mtime has not moved for this long belongs to a dead process (proper-lockfile's minimum is 2000). */
export const DEFAULT_STALE_LOCK_MS = 5000;
/** How long a writer keeps trying for the lock: longer than a stale lock takes to be recognised. */
export const DEFAULT_LOCK_WAIT_MS = 12_000;

export function defaultAtomicSessionFile(): string {
  return path.join(defaultPrivateStoreDir(), 'sessions.json');
}

export interface AtomicFileStoreOptions {
  /** The sessions file; its folder must be private (created 0700 when missing). */
  sessionFile: string;
  logger?: Logger;
  staleLockMs?: number;
  /** Total time to wait for the lock before failing with ELOCKED. */
  lockWaitMs?: number;
}

type FileContent = {
  version: 1;
  sessions: Record<string, OAuthSession>;
  tokens: Record<string, NamespaceRecords['tokens']>;
} & { [N in RemoteNamespace]?: Record<string, NamespaceRecords[N]> };

/** A namespace's records in the content, created empty when a remote one is missing. */
function recordsOf<N extends Namespace>(content: FileContent, ns: N): Record<string, NamespaceRecords[N]> {
  const holder = content as unknown as Record<string, Record<string, NamespaceRecords[N]> | undefined>;
  return (holder[ns] ??= {});
}

const emptyContent = (): FileContent => ({ version: 1, sessions: {}, tokens: {} });

/**
 * Retry schedule for proper-lockfile: short waits first (the lock is held for
 * a millisecond or two), capped at 50 ms, enough attempts to outlast `waitMs`.
 */
function lockRetries(waitMs: number): { retries: number; minTimeout: number; maxTimeout: number; factor: number; randomize: boolean } {
  return { retries: Math.max(1, Math.ceil(waitMs / 50) + 8), minTimeout: 2, maxTimeout: 50, factor: 1.6, randomize: true };
}

/**
 * Acquires the store's inter-process lock on `file` (exported for the
 * stale-lock test's driver). proper-lockfile retries on every error, so a
 * folder it cannot write to (EACCES, EROFS, ENOSPC) would be retried for the
 * whole wait; one attempt without retries first lets everything but a held
 * lock fail at once, with its own error.
 */
export async function acquireStoreLock(
  file: string,
  options: { staleLockMs?: number; lockWaitMs?: number; onCompromised?: (error: Error) => void } = {},
): Promise<() => Promise<void>> {
  const stale = Math.max(2000, options.staleLockMs ?? DEFAULT_STALE_LOCK_MS);
  const lockOptions = {
    realpath: false,
    stale,
    update: Math.floor(stale / 2),
    // proper-lockfile's default throws from a timer, which would crash the process.
    onCompromised: options.onCompromised ?? (() => undefined),
  };
  try {
    return await lockfile.lock(file, { ...lockOptions, retries: 0 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
  }
  return lockfile.lock(file, { ...lockOptions, retries: lockRetries(options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS) });
}

const own = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

export class AtomicFileSessionStore implements SessionStore {
  readonly kind = 'atomic-file' as const;
  readonly sessionFile: string;
  private readonly log: Logger;
  private readonly staleLockMs: number;
  private readonly lockWaitMs: number;

  /** Per-file queue of writers in this process, shared by every instance. */
  private static readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: AtomicFileStoreOptions) {
    this.sessionFile = path.resolve(options.sessionFile);
    this.log = options.logger ?? createLogger('atomic-file-store');
    this.staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    // Checked at startup so a bad path is a startup error, not a failed callback.
    ensurePrivateDir(path.dirname(this.sessionFile));
    checkPrivateFile(this.sessionFile);
  }

  /** Reads the file through O_NOFOLLOW and checks the descriptor it opened. */
  private async read(): Promise<{ content: FileContent; corrupt: boolean }> {
    let handle;
    try {
      handle = await open(this.sessionFile, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { content: emptyContent(), corrupt: false };
      if (code === 'ELOOP') throw new UnsafeStorePathError(this.sessionFile, 'the file is a symbolic link; it will not be followed');
      throw error;
    }
    let text: string;
    try {
      const stats: Stats = await handle.stat();
      checkPrivateFileStats(this.sessionFile, stats);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    try {
      const parsed = JSON.parse(text) as Partial<FileContent> | null;
      if (
        parsed === null ||
        typeof parsed !== 'object' ||
        parsed.version !== 1 ||
        typeof parsed.sessions !== 'object' ||
        parsed.sessions === null ||
        typeof parsed.tokens !== 'object' ||
        parsed.tokens === null ||
        REMOTE_NAMESPACES.some((ns) => parsed[ns] !== undefined && (typeof parsed[ns] !== 'object' || parsed[ns] === null))
      ) {
        throw new Error('not a {"version":1,"sessions":{},"tokens":{}} object');
      }
      return { content: parsed as FileContent, corrupt: false };
    } catch (error) {
      this.log.warn(`⚠️ Session file ${this.sessionFile} does not parse (${(error as Error).message})`);
      return { content: emptyContent(), corrupt: true };
    }
  }

  /** One locked read-modify-write; `change` returns its result and whether the content changed. */
  private mutate<T>(change: (content: FileContent) => { result: T; changed: boolean }): Promise<T> {
    const file = this.sessionFile;
    const previous = AtomicFileSessionStore.queues.get(file) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const release = await acquireStoreLock(file, {
        staleLockMs: this.staleLockMs,
        lockWaitMs: this.lockWaitMs,
        onCompromised: (error) => this.log.error(`Lock on ${file} compromised: ${error.message}`),
      });
      try {
        const { content, corrupt } = await this.read();
        if (corrupt) {
          const aside = `${file}.corrupt-${Date.now()}`;
          renameSync(file, aside);
          this.log.warn(`⚠️ Moved the unparseable session file aside to ${aside}; starting from empty`);
        }
        const pruned = this.prune(content);
        const { result, changed } = change(content);
        if (changed || pruned > 0 || corrupt) {
          await writeFileAtomic(file, JSON.stringify(content), { mode: PRIVATE_FILE_MODE, fsync: true });
        }
        return result;
      } finally {
        await release().catch((error: Error) => this.log.warn(`Could not release the lock on ${file}: ${error.message}`));
      }
    });
    AtomicFileSessionStore.queues.set(file, run);
    void run.finally(() => {
      if (AtomicFileSessionStore.queues.get(file) === run) AtomicFileSessionStore.queues.delete(file);
    }).catch(() => undefined);
    return run;
  }

  /** Drops sessions that are expired or dated too far in the future, and remote-mode records past expiresAt; returns how many. */
  private prune(content: FileContent): number {
    const now = Date.now();
    let dropped = 0;
    for (const [state, session] of Object.entries(content.sessions)) {
      if (!sessionIsLive(session.timestamp, now)) {
        delete content.sessions[state];
        dropped += 1;
      }
    }
    for (const ns of REMOTE_NAMESPACES) {
      const records = content[ns] as Record<string, NamespaceRecords[typeof ns]> | undefined;
      for (const [key, record] of Object.entries(records ?? {})) {
        if (!recordIsLive(record, now)) {
          delete records![key];
          dropped += 1;
        }
      }
    }
    return dropped;
  }

  /** The record under key when present and, for a session, live. */
  private live<N extends Namespace>(content: FileContent, ns: N, key: string): NamespaceRecords[N] | undefined {
    const records = recordsOf(content, ns);
    if (!own(records, key)) return undefined;
    const record = records[key]!;
    if (ns === 'sessions' && !sessionIsLive((record as OAuthSession).timestamp)) return undefined;
    if (isRemoteNamespace(ns) && !recordIsLive(record as NamespaceRecords[RemoteNamespace])) return undefined;
    return record;
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    await this.mutate((content) => {
      recordsOf(content, ns)[key] = record;
      return { result: undefined, changed: true };
    });
    if (ns === 'sessions') this.log.info(`💾 Stored session ${shortId(key)} in ${this.sessionFile}`);
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const { content } = await this.read();
    const record = this.live(content, ns, key);
    if (ns === 'sessions') this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = await this.mutate((content) => {
      const found = this.live(content, ns, key);
      const records = recordsOf(content, ns);
      const present = own(records, key);
      if (present) delete records[key];
      return { result: found, changed: present };
    });
    if (ns === 'sessions') this.log.info(`🔍 Taking session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    await this.mutate((content) => {
      const records = recordsOf(content, ns);
      const present = own(records, key);
      if (present) delete records[key];
      return { result: undefined, changed: present };
    });
  }

  async count(ns: Namespace): Promise<number> {
    const { content } = await this.read();
    if (ns === 'tokens') return Object.keys(content.tokens).length;
    const now = Date.now();
    if (isRemoteNamespace(ns)) return Object.values(recordsOf(content, ns)).filter((r) => recordIsLive(r, now)).length;
    return Object.values(content.sessions).filter((s) => sessionIsLive(s.timestamp, now)).length;
  }

  async close(): Promise<void> {
    // No handle is kept between operations; a held lock is always released in mutate().
  }
}
