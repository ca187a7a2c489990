/**
 * A deliberately racy SQLite store for the tests of the store-level races:
 * every session in one JSON blob, read with one statement and written back
 * with another (the write-up's read-modify-write, moved into SQLite). It
 * shows the forced races can be produced, so a "prevented" for src/'s store
 * is a verdict that could have come out otherwise.
 */
import Database from 'better-sqlite3';
import type { Namespace, NamespaceRecords, OAuthSession, SessionStore } from '../../../../src/session-store.ts';

type Blob = Record<string, OAuthSession>;

export function openStore(sessionFile: string): SessionStore {
  const db = new Database(sessionFile.replace(/\.json$/, '.sqlite'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.exec("CREATE TABLE IF NOT EXISTS blob (id INTEGER PRIMARY KEY CHECK (id = 1), sessions TEXT NOT NULL)");
  const read = (): Blob => JSON.parse((db.prepare('SELECT sessions FROM blob WHERE id = 1').get() as { sessions: string } | undefined)?.sessions ?? '{}') as Blob;
  const write = (all: Blob) => db.prepare('INSERT OR REPLACE INTO blob (id, sessions) VALUES (1, ?)').run(JSON.stringify(all));
  return {
    kind: 'sqlite',
    async put<N extends Namespace>(_ns: N, key: string, record: NamespaceRecords[N]) {
      const all = read();
      all[key] = record as OAuthSession;
      write(all);
    },
    async get<N extends Namespace>(_ns: N, key: string) {
      return read()[key] as NamespaceRecords[N] | undefined;
    },
    async take<N extends Namespace>(_ns: N, key: string) {
      const all = read();
      const found = all[key];
      delete all[key];
      write(all);
      return found as NamespaceRecords[N] | undefined;
    },
    async delete(_ns: Namespace, key: string) {
      const all = read();
      delete all[key];
      write(all);
    },
    async count() {
      return Object.keys(read()).length;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
