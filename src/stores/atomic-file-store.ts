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
 *   a killed process goes stale after `staleLockMs` and is taken over).
 * - Group commit: inside one process, the read-modify-writes that queue up
 *   while one is on disk go together as the next batch: one lock, one read,
 *   one write for all of them, each applied in turn to the content and each
 *   answered only once that write is durably in place. Under load the lock
 *   and the fsyncs are paid per batch instead of per operation, and only
 *   one writer per process polls for the lock.
 * - Atomic and durable: the new content goes to a temp file beside it, is
 *   fsynced and renamed over the old one (write-file-atomic), then the
 *   folder is fsynced so that the rename itself is on disk; a reader sees
 *   the old file or the new one, never half of one. Reads therefore need no
 *   lock.
 * - take() reads and deletes in ONE locked step: a state is redeemed once.
 * - Expiry is enforced on every read (15 min TTL; a timestamp more than
 *   SESSION_CLOCK_SKEW_MS in the future is invalid), and expired sessions
 *   are dropped by the next write.
 * - A file that does not parse (only something outside this store can
 *   produce one) is moved aside as `<file>.corrupt-<ms>` for inspection and
 *   the store goes on from empty, instead of the write-up's silent overwrite.
 *
 * Both namespaces live in the one file: `{"version":1,"sessions":{},"tokens":{}}`.
 */
import { closeSync, constants as fsConstants, fstatSync, fsync, openSync, readFileSync, renameSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import {
  sessionIsLive,
  type Namespace,
  type NamespaceRecords,
  type OAuthSession,
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

interface FileContent {
  version: 1;
  sessions: Record<string, OAuthSession>;
  tokens: Record<string, NamespaceRecords['tokens']>;
}

const emptyContent = (): FileContent => ({ version: 1, sessions: {}, tokens: {} });

/**
 * How often a writer that found the lock held tries again. The lock is held
 * for one batch (a read, one write and its fsyncs: a few milliseconds), so a
 * waiter polls at a fixed 2–4 ms (randomised, so that two waiters do not
 * stay in step) and gets in soon after the holder lets go. An exponential
 * backoff up to 50 ms left it asleep for tens of milliseconds after the
 * lock was free, while the holder's process took it again and again.
 */
const LOCK_POLL_MS = 2;

/**
 * The schedule as `retry` (proper-lockfile's) takes it: a short cycle of
 * waits repeated until `waitMs` has passed. One entry per attempt for the
 * whole wait would be thousands of entries, which `retry` randomises,
 * sorts and copies on every contended acquisition.
 */
function lockRetries(waitMs: number): Exclude<NonNullable<lockfile.LockOptions['retries']>, number> {
  return { retries: 8, forever: true, maxRetryTime: waitMs, minTimeout: LOCK_POLL_MS, maxTimeout: 2 * LOCK_POLL_MS, factor: 1, randomize: true };
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

const fsyncFd = promisify(fsync);

/**
 * The new content to a temp file beside `file`, fsynced and renamed over it
 * (write-file-atomic), then the folder fsynced: once this resolves the new
 * file survives a crash of the machine, the rename included. write-file-atomic
 * does not fsync the folder, and until the folder is, the rename may still
 * be only in memory: a power cut would bring back the previous file.
 */
async function writeFileDurably(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, text, { mode: PRIVATE_FILE_MODE, fsync: true });
  // Windows cannot open a folder to fsync it; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const dir = openSync(path.dirname(file), fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await fsyncFd(dir);
  } catch (error) {
    // A filesystem that cannot sync a folder says EINVAL: there is nothing more to make durable.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    closeSync(dir);
  }
}

const own = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** One operation waiting for the next batch: its change, applied under the lock, and how to answer its caller. */
interface QueuedChange {
  change: (content: FileContent) => { result: unknown; changed: boolean };
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface BatchOptions {
  staleLockMs: number;
  lockWaitMs: number;
  log: Logger;
}

/**
 * Group commit for one file in this process. Every read-modify-write queued
 * while a batch is in flight joins the next batch, and a batch is ONE lock
 * acquisition, ONE read and ONE fsynced write, however many operations it
 * carries: under load the cost of the lock and of the fsync is shared by
 * everyone waiting instead of paid once per operation, one after the other.
 * Each operation still sees the effect of those before it (they are applied
 * in order to the one content), and none is answered before the file
 * holding its change is durably in place, so the guarantees are those of
 * one operation per lock.
 */
class FileBatcher {
  private queued: QueuedChange[] = [];
  private running = false;

  constructor(
    private readonly file: string,
    private readonly read: () => { content: FileContent; corrupt: boolean },
    private readonly options: BatchOptions,
  ) {}

  submit<T>(change: (content: FileContent) => { result: T; changed: boolean }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ change, resolve: resolve as (result: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queued.length > 0) {
        const batch = this.queued;
        this.queued = [];
        await this.commit(batch);
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * One lock, one read, the batch's changes in order, one write. Never
   * throws: a failure (the lock, the read, the write) fails every operation
   * of the batch, and none of its changes is on disk. The lock is released
   * before anyone is answered, so a caller that goes on to another writer
   * does not find it still held.
   */
  private async commit(batch: QueuedChange[]): Promise<void> {
    const { file, options } = this;
    let release: () => Promise<void>;
    try {
      release = await acquireStoreLock(file, {
        staleLockMs: options.staleLockMs,
        lockWaitMs: options.lockWaitMs,
        onCompromised: (error) => options.log.error(`Lock on ${file} compromised: ${error.message}`),
      });
    } catch (error) {
      for (const op of batch) op.reject(error);
      return;
    }
    let outcome: { ok: true; results: unknown[] } | { ok: false; error: unknown };
    try {
      const { content, corrupt } = this.read();
      if (corrupt) {
        const aside = `${file}.corrupt-${Date.now()}`;
        renameSync(file, aside);
        options.log.warn(`⚠️ Moved the unparseable session file aside to ${aside}; starting from empty`);
      }
      let changed = prune(content) > 0 || corrupt;
      const results = batch.map((op) => {
        const applied = op.change(content);
        changed ||= applied.changed;
        return applied.result;
      });
      if (changed) await writeFileDurably(file, JSON.stringify(content));
      outcome = { ok: true, results };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await release().catch((error: Error) => options.log.warn(`Could not release the lock on ${file}: ${error.message}`));
    batch.forEach((op, i) => (outcome.ok ? op.resolve(outcome.results[i]) : op.reject(outcome.error)));
  }
}

/** Drops sessions that are expired or dated too far in the future; returns how many. */
function prune(content: FileContent): number {
  const now = Date.now();
  let dropped = 0;
  for (const [state, session] of Object.entries(content.sessions)) {
    if (!sessionIsLive(session.timestamp, now)) {
      delete content.sessions[state];
      dropped += 1;
    }
  }
  return dropped;
}

export class AtomicFileSessionStore implements SessionStore {
  readonly kind = 'atomic-file' as const;
  readonly sessionFile: string;
  private readonly log: Logger;
  private readonly staleLockMs: number;
  private readonly lockWaitMs: number;

  /** One batcher per file (and lock options) in this process, shared by every instance of the same file. */
  private static readonly batchers = new Map<string, FileBatcher>();

  constructor(options: AtomicFileStoreOptions) {
    this.sessionFile = path.resolve(options.sessionFile);
    this.log = options.logger ?? createLogger('atomic-file-store');
    this.staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    // Checked at startup so a bad path is a startup error, not a failed callback.
    ensurePrivateDir(path.dirname(this.sessionFile));
    checkPrivateFile(this.sessionFile);
  }

  /**
   * Reads the file through O_NOFOLLOW and checks the descriptor it opened.
   * Synchronous on purpose: it runs while the lock is held, and a file of
   * sessions is read from the page cache in microseconds, where each await
   * would hold the lock for a turn of a busy event loop (milliseconds under
   * load). JSON.parse is synchronous anyway.
   */
  private read(): { content: FileContent; corrupt: boolean } {
    let fd: number;
    try {
      fd = openSync(this.sessionFile, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { content: emptyContent(), corrupt: false };
      if (code === 'ELOOP') throw new UnsafeStorePathError(this.sessionFile, 'the file is a symbolic link; it will not be followed');
      throw error;
    }
    let text: string;
    try {
      checkPrivateFileStats(this.sessionFile, fstatSync(fd));
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
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
        parsed.tokens === null
      ) {
        throw new Error('not a {"version":1,"sessions":{},"tokens":{}} object');
      }
      return { content: parsed as FileContent, corrupt: false };
    } catch (error) {
      this.log.warn(`⚠️ Session file ${this.sessionFile} does not parse (${(error as Error).message})`);
      return { content: emptyContent(), corrupt: true };
    }
  }

  /** One read-modify-write under the lock, batched with the others queued in this process; `change` returns its result and whether the content changed. */
  private mutate<T>(change: (content: FileContent) => { result: T; changed: boolean }): Promise<T> {
    // Per file and lock options: an instance that will wait less for the lock does not inherit another's patience.
    const key = `${this.sessionFile}\0${this.staleLockMs}\0${this.lockWaitMs}`;
    let batcher = AtomicFileSessionStore.batchers.get(key);
    if (!batcher) {
      batcher = new FileBatcher(this.sessionFile, () => this.read(), { staleLockMs: this.staleLockMs, lockWaitMs: this.lockWaitMs, log: this.log });
      AtomicFileSessionStore.batchers.set(key, batcher);
    }
    return batcher.submit(change);
  }

  /** The record under key when present and, for a session, live. */
  private live<N extends Namespace>(content: FileContent, ns: N, key: string): NamespaceRecords[N] | undefined {
    const records = content[ns] as Record<string, NamespaceRecords[N]>;
    if (!own(records, key)) return undefined;
    const record = records[key];
    if (ns === 'sessions' && !sessionIsLive((record as OAuthSession).timestamp)) return undefined;
    return record;
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    await this.mutate((content) => {
      (content[ns] as Record<string, NamespaceRecords[N]>)[key] = record;
      return { result: undefined, changed: true };
    });
    if (ns === 'sessions') this.log.info(`💾 Stored session ${shortId(key)} in ${this.sessionFile}`);
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const { content } = this.read();
    const record = this.live(content, ns, key);
    if (ns === 'sessions') this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const record = await this.mutate((content) => {
      const found = this.live(content, ns, key);
      const records = content[ns] as Record<string, NamespaceRecords[N]>;
      const present = own(records, key);
      if (present) delete records[key];
      return { result: found, changed: present };
    });
    if (ns === 'sessions') this.log.info(`🔍 Taking session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    await this.mutate((content) => {
      const records = content[ns] as Record<string, unknown>;
      const present = own(records, key);
      if (present) delete records[key];
      return { result: undefined, changed: present };
    });
  }

  async count(ns: Namespace): Promise<number> {
    const { content } = this.read();
    if (ns === 'tokens') return Object.keys(content.tokens).length;
    const now = Date.now();
    return Object.values(content.sessions).filter((s) => sessionIsLive(s.timestamp, now)).length;
  }

  async close(): Promise<void> {
    // No handle is kept between operations; a held lock is always released in a batch.
  }
}
