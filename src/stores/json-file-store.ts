/**
 * The write-up's NEW design, kept faithfully, flaws included, because they are
 * what this project measures:
 *
 * - every operation reads the whole file (readFileSync) and JSON.parses it; a
 *   missing file or a parse error counts as "no sessions" (logged), so a torn
 *   or corrupted file silently loses every session on the next write;
 * - it changes the object and rewrites the whole file pretty-printed with a
 *   plain writeFileSync: no temp file + rename, no lock, no fsync, default
 *   mode (world-readable under a usual umask), no symlink check;
 * - put() does the "TTL cleanup" with `now - timestamp > 15 min`, so a
 *   timestamp in the future is kept;
 * - take() is get then delete, two separate read-modify-write cycles: two
 *   processes (or two concurrent callbacks) can both read the session before
 *   either deletes it, and concurrent writers lose each other's writes.
 *
 * Sessions live in SESSION_FILE as `{ [state]: OAuthSession }`; the tokens
 * namespace lives beside it in `*.tokens.json`, and each remote-mode
 * namespace in its own `*.<namespace>.json`: same format, same flaws (no
 * expiry of their own either: the remote mode checks `expiresAt` on read).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  SESSION_TTL_MS,
  type Namespace,
  type NamespaceRecords,
  type OAuthSession,
  type SessionStore,
} from '../session-store.ts';
import { createLogger, shortId, type Logger } from '../log.ts';

export interface JsonFileStoreOptions {
  /** Path of the sessions file; the tokens file is derived from it. */
  sessionFile: string;
  logger?: Logger;
}

/** SESSION_FILE with `.json` replaced by `.tokens.json` (appended when there is no `.json`). */
export function tokensFileFor(sessionFile: string): string {
  return namespaceFileFor(sessionFile, 'tokens');
}

/** The file of a namespace other than `sessions`: SESSION_FILE with `.json` replaced by `.<namespace>.json`. */
export function namespaceFileFor(sessionFile: string, ns: Exclude<Namespace, 'sessions'>): string {
  const base = sessionFile.endsWith('.json') ? sessionFile.slice(0, -'.json'.length) : sessionFile;
  return `${base}.${ns}.json`;
}

type FileContent<N extends Namespace> = Record<string, NamespaceRecords[N]>;

export class JsonFileSessionStore implements SessionStore {
  readonly kind = 'json-file' as const;
  readonly sessionFile: string;
  readonly tokensFile: string;
  private readonly log: Logger;

  constructor(options: JsonFileStoreOptions) {
    this.sessionFile = options.sessionFile;
    this.tokensFile = tokensFileFor(options.sessionFile);
    this.log = options.logger ?? createLogger('json-file-store');
  }

  private fileFor(ns: Namespace): string {
    return ns === 'sessions' ? this.sessionFile : namespaceFileFor(this.sessionFile, ns);
  }

  /** The write-up's getStoredSessions(): whole file, parsed, anything wrong = empty. */
  private readAll<N extends Namespace>(ns: N): FileContent<N> {
    const file = this.fileFor(ns);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') this.log.info(`📁 No ${ns} file yet at ${file}: treating as empty`);
      else this.log.warn(`⚠️ Could not read ${ns} file ${file} (${code ?? String(error)}): treating as empty`);
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        this.log.warn(`⚠️ ${ns} file ${file} does not hold an object: treating as empty`);
        return {};
      }
      return parsed as FileContent<N>;
    } catch (error) {
      this.log.warn(`⚠️ Could not parse ${ns} file ${file} (${(error as Error).message}): treating as empty`);
      return {};
    }
  }

  /** The write-up's saveStoredSessions(): whole object, pretty-printed, plain write. */
  private writeAll<N extends Namespace>(ns: N, content: FileContent<N>): void {
    writeFileSync(this.fileFor(ns), JSON.stringify(content, null, 2));
  }

  async put<N extends Namespace>(ns: N, key: string, record: NamespaceRecords[N]): Promise<void> {
    const all = this.readAll(ns);
    if (ns === 'sessions') {
      const sessions = all as FileContent<'sessions'>;
      const now = Date.now();
      for (const [state, session] of Object.entries(sessions)) {
        if (now - session.timestamp > SESSION_TTL_MS) delete sessions[state];
      }
      this.log.info(`💾 Storing session in persistent file: ${shortId(key)}`);
    } else {
      this.log.info(`💾 Storing ${ns} in persistent file for ${key}`);
    }
    all[key] = record;
    this.writeAll(ns, all);
    if (ns === 'sessions') {
      this.log.info(`📊 Total active sessions in file: ${Object.keys(all).length}`);
      this.log.info(`📁 Session file location: ${this.sessionFile}`);
      this.log.info(`⏰ Session timestamp: ${new Date((record as OAuthSession).timestamp).toISOString()}`);
    }
  }

  async get<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    const all = this.readAll(ns);
    const record = Object.prototype.hasOwnProperty.call(all, key) ? all[key] : undefined;
    if (ns === 'sessions') {
      this.log.info(`🔍 Looking up session ${shortId(key)}: ${record ? 'FOUND' : 'NOT FOUND'}`);
      this.log.info(`📊 Total active sessions in file: ${Object.keys(all).length}`);
      this.log.info(`📁 Session file location: ${this.sessionFile}`);
    }
    return record;
  }

  async take<N extends Namespace>(ns: N, key: string): Promise<NamespaceRecords[N] | undefined> {
    // Two read-modify-write cycles, as in the write-up (getSession, then
    // deleteSession). Not atomic: that race is one of the things measured.
    const record = await this.get(ns, key);
    if (record) await this.delete(ns, key);
    return record;
  }

  async delete(ns: Namespace, key: string): Promise<void> {
    const all = this.readAll(ns);
    delete all[key];
    this.writeAll(ns, all);
  }

  async count(ns: Namespace): Promise<number> {
    return Object.keys(this.readAll(ns)).length;
  }

  async close(): Promise<void> {
    // No handle is kept open between operations.
  }
}
