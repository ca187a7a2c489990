/**
 * One store kind opened for a benchmark in a folder of its own, and filled to
 * a given number of live sessions.
 *
 * Filling goes through the store's own put() where that is affordable. Some
 * stores make it unaffordable at 100,000 sessions because their put() is
 * O(N): the json-file and atomic-file stores rewrite the whole file, the
 * memory store scans every session for its TTL clean-up, the sqlite store's
 * prune scans its whole timestamp index. Filling through put() is then
 * O(N²): about 70 s for the memory store, many minutes for sqlite, hours for
 * the files. For those, a seeder found by looking at what the store wrote for
 * one probe session writes the other records straight into the same
 * representation, and the last session still goes through put(), so what is
 * measured afterwards (the file on disk, the heap) is what the store itself
 * wrote. Every seeding is checked with count(), and the results record which
 * way each store was filled.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import type { OAuthSession, SessionStore, StoreKind } from '../../../src/session-store.ts';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import { MemorySessionStore } from '../../../src/stores/memory-store.ts';
import { silentLogger } from '../../../src/log.ts';
import { filesIn, totalBytes } from './folder-size.ts';

/**
 * Opens a store of `kind` whose data lives in `dir` (when it has data on disk).
 * A store that needs more than the default gives it (another redis, say) gets
 * it from an opener the caller passes.
 */
export type BenchStoreOpener = (kind: string, dir: string) => SessionStore | Promise<SessionStore>;

export interface BenchStoreOpenerOptions {
  /** redis: the server to use; default REDIS_URL. Keys get a prefix of this process's own. */
  redisUrl?: string;
}

/**
 * Every option any store reads, each ignored by the stores that do not need
 * it: the session file inside `dir` (json-file, atomic-file, sqlite), a seal
 * key made for this run (sealed-state), a redis URL. A silent logger: the
 * write-up's per-operation log lines go to a terminal, whose cost is not the
 * store's.
 */
export function benchStoreOpener(options: BenchStoreOpenerOptions = {}): BenchStoreOpener {
  const sealKey = randomBytes(32);
  return (kind, dir) =>
    createSessionStore(kind as StoreKind, {
      sessionFile: path.join(dir, 'jira-oauth-sessions.json'),
      sealKey,
      redisUrl: options.redisUrl ?? process.env.REDIS_URL,
      redisKeyPrefix: `oauth-bench-${process.pid}-${path.basename(dir)}:`,
      logger: silentLogger,
    });
}

export const defaultBenchStoreOpener: BenchStoreOpener = benchStoreOpener();

/** How sessions got into the store: its own put(), or a seeder into its representation (see the header). */
export type SeedMethod = 'put' | 'memory-map' | 'json-object-file' | 'sqlite-rows';

export class SeedingTooSlowError extends Error {
  readonly code = 'seeding_too_slow';
  constructor(
    readonly store: string,
    readonly reached: number,
    readonly wanted: number,
    readonly budgetMs: number,
  ) {
    super(`filling the ${store} store through put() reached ${reached} of ${wanted} sessions in its ${budgetMs} ms budget`);
    this.name = 'SeedingTooSlowError';
  }
}

interface Seeder {
  method: SeedMethod;
  add(sessions: OAuthSession[]): void;
}

export interface BenchStoreOptions {
  opener?: BenchStoreOpener;
  /** Remember the keys of seeded sessions (for clean-up). A heap measurement turns it off: the list would weigh on the heap. */
  trackKeys?: boolean;
}

export class BenchStore {
  /** Sessions the store holds (measurement cycles put and take their own, so this does not move). */
  live = 0;
  seedMethod: SeedMethod | undefined;
  private seeder: Seeder | undefined | null;
  private readonly keys: string[] = [];

  private constructor(
    readonly kind: string,
    readonly dir: string,
    readonly store: SessionStore,
    private readonly trackKeys: boolean,
  ) {}

  static async open(kind: string, dir: string, options: BenchStoreOptions = {}): Promise<BenchStore> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const store = await (options.opener ?? defaultBenchStoreOpener)(kind, dir);
    const bench = new BenchStore(kind, dir, store, options.trackKeys ?? true);
    // The memory store's Map is process-wide: whatever this process already holds counts as live.
    bench.live = await store.count('sessions');
    return bench;
  }

  /** Files the store keeps in its folder, and their total size. */
  footprint() {
    const files = filesIn(this.dir);
    return { files, bytes: totalBytes(files) };
  }

  /**
   * A fresh session for this store. A store that carries the session inside
   * the state (mintState, sealed-state) makes the state; the others take the
   * 32 random bytes the factory drew.
   */
  async newSession(makeSession: () => OAuthSession): Promise<OAuthSession> {
    const session = makeSession();
    if (!this.store.mintState) return session;
    const { state: _drawn, ...unkeyed } = session;
    return { ...unkeyed, state: await this.store.mintState(unkeyed) };
  }

  /**
   * Brings the store to `target` live sessions: all but the last through a
   * seeder when one fits this store, else through put() within `budgetMs`;
   * the last always through put().
   */
  async fillTo(target: number, makeSession: () => OAuthSession, budgetMs: number): Promise<void> {
    if (target <= this.live) return;
    if (this.seeder === undefined) this.seeder = await this.findSeeder(makeSession);
    const viaSeeder = this.seeder ? target - this.live - 1 : 0;
    if (this.seeder && viaSeeder > 0) {
      const batch: OAuthSession[] = [];
      for (let i = 0; i < viaSeeder; i += 1) batch.push(await this.newSession(makeSession));
      this.seeder.add(batch);
      this.remember(batch);
      this.live += viaSeeder;
      const counted = await this.store.count('sessions');
      if (counted !== this.live) {
        throw new Error(`seeding the ${this.kind} store by ${this.seeder.method} left ${counted} sessions, expected ${this.live}`);
      }
    }
    // The budget is for filling through put(): the seeder's time is not in it, and the one put that
    // follows a seeding is always made (counting the seeding in, a slower moment of the machine
    // refused that last put and dropped the whole size from the C5 figure).
    const putsStartedAt = performance.now();
    const seeded = viaSeeder > 0;
    while (this.live < target) {
      if (!seeded && performance.now() - putsStartedAt > budgetMs) throw new SeedingTooSlowError(this.kind, this.live, target, budgetMs);
      const session = await this.newSession(makeSession);
      await this.store.put('sessions', session.state, session);
      this.remember([session]);
      this.live += 1;
    }
    this.seedMethod ??= this.seeder ? this.seeder.method : 'put';
  }

  /** Closes the store and removes what it held: its folder, or (no files) each seeded key. */
  async dispose(budgetMs = 10_000): Promise<void> {
    const startedAt = performance.now();
    if (this.footprint().files.length === 0) {
      for (const key of this.keys) {
        if (performance.now() - startedAt > budgetMs) break;
        await this.store.delete('sessions', key);
      }
    }
    this.keys.length = 0;
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private remember(sessions: readonly OAuthSession[]): void {
    if (this.trackKeys) for (const s of sessions) this.keys.push(s.state);
  }

  /** Puts one probe session through the store, then looks for a representation a seeder can write. */
  private async findSeeder(makeSession: () => OAuthSession): Promise<Seeder | null> {
    const probe = await this.newSession(makeSession);
    await this.store.put('sessions', probe.state, probe);
    this.remember([probe]);
    this.live += 1;
    return memoryMapSeeder(this.store) ?? jsonObjectFileSeeder(this.dir, probe) ?? sqliteRowsSeeder(this.dir, probe);
  }
}

/** The memory store's process-wide Map (a private static of src/stores/memory-store.ts): the same set() its put() does, without the TTL scan. */
function memoryMapSeeder(store: SessionStore): Seeder | null {
  if (!(store instanceof MemorySessionStore)) return null;
  const maps = (MemorySessionStore as unknown as { maps?: { sessions?: unknown } }).maps;
  const sessions = maps?.sessions;
  if (!(sessions instanceof Map)) return null;
  return {
    method: 'memory-map',
    add: (batch) => {
      for (const s of batch) sessions.set(s.state, s);
    },
  };
}

/**
 * Any store that keeps its sessions as `{ [state]: session }` in a JSON file
 * of its folder, at the top (the write-up's json-file) or one level down
 * (atomic-file's `{"version":1,"sessions":{…}}`). Found by content, not by
 * store name: the object must hold the probe session, equal field by field.
 */
function jsonObjectFileSeeder(dir: string, probe: OAuthSession): Seeder | null {
  const holdsProbe = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && JSON.stringify((value as Record<string, unknown>)[probe.state]) === JSON.stringify(probe);
  for (const file of filesIn(dir)) {
    const full = path.join(dir, file.name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(full, 'utf8'));
    } catch {
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
    const top = parsed as Record<string, unknown>;
    const field = holdsProbe(top) ? null : Object.keys(top).find((key) => holdsProbe(top[key]));
    if (field === undefined) continue;
    return {
      method: 'json-object-file',
      add: (batch) => {
        const all = JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>;
        const sessions = (field === null ? all : all[field]) as Record<string, OAuthSession>;
        for (const s of batch) sessions[s.state] = s;
        // Compact on purpose: the store's next put() rewrites the file in its own format.
        writeFileSync(full, JSON.stringify(all));
      },
    };
  }
  return null;
}

/**
 * Any store that keeps one row per session in a SQLite database of its folder
 * (the sqlite store's put() prunes with a scan of the timestamp index, so
 * filling it through put() is O(N²) too). Found by content: the row holding
 * the probe's state; each of its columns is the state, the session as JSON,
 * the timestamp, or copied as it is. Written through a connection of our own
 * in one transaction; WAL lets the store's connection see the rows.
 */
function sqliteRowsSeeder(dir: string, probe: OAuthSession): Seeder | null {
  const json = JSON.stringify(probe);
  for (const file of filesIn(dir)) {
    const full = path.join(dir, file.name);
    if (!isSqliteFile(full)) continue;
    const db = new Database(full, { timeout: 5_000 });
    let seeder: Seeder | null = null;
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
      for (const { name } of tables) {
        const quoted = `"${name.replace(/"/g, '""')}"`;
        const rows = db.prepare(`SELECT * FROM ${quoted} LIMIT 1000`).all() as Record<string, unknown>[];
        const row = rows.find((r) => Object.values(r).includes(probe.state));
        if (!row) continue;
        const columns = Object.keys(row).map((column) => {
          const value = row[column];
          if (value === probe.state) return { column, from: (s: OAuthSession) => s.state };
          if (value === probe.timestamp) return { column, from: (s: OAuthSession) => s.timestamp };
          if (typeof value === 'string' && (value === json || sameJson(value, probe))) return { column, from: (s: OAuthSession) => JSON.stringify(s) };
          return { column, from: () => value };
        });
        const insert = db.prepare(
          `INSERT INTO ${quoted} (${columns.map((c) => `"${c.column.replace(/"/g, '""')}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        seeder = {
          method: 'sqlite-rows',
          add: (batch) => {
            const writer = new Database(full, { timeout: 5_000 });
            try {
              const stmt = writer.prepare(insert.source);
              writer.transaction((sessions: readonly OAuthSession[]) => {
                for (const s of sessions) stmt.run(...columns.map((c) => c.from(s)));
              })(batch);
            } finally {
              writer.close();
            }
          },
        };
        break;
      }
    } finally {
      db.close();
    }
    if (seeder) return seeder;
  }
  return null;
}

function isSqliteFile(file: string): boolean {
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sameJson(text: string, session: OAuthSession): boolean {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.keys(session).every((k) => parsed[k] === session[k as keyof OAuthSession]) && Object.keys(parsed).length === Object.keys(session).length;
  } catch {
    return false;
  }
}

export class BenchTimeoutError extends Error {
  readonly code = 'bench_timeout';
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'BenchTimeoutError';
  }
}

/**
 * A watchdog around a whole step (filling, a point, closing), never around a
 * timed operation: a store that hangs (a server that is not there) fails its
 * row instead of the run. `onTimeout` tells the step to stop its loop.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new BenchTimeoutError(what, ms));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
