/**
 * The forced races for the sqlite store, at SQLite's own level. The write
 * gate sees only writes made through Node's fs; SQLite writes from native
 * code, so at the flow level both races end "no unguarded write". Here the
 * nemesis is a third connection holding SQLite's write lock (BEGIN
 * IMMEDIATE) while two client processes, each with its own connection to
 * the same database file, start the race's operations: they read as they
 * like (WAL readers are not blocked) and queue on busy_timeout for the
 * write. Then the lock is let go and both go on.
 *
 * - double use: both clients take the same state. One statement
 *   (`DELETE … RETURNING`) lets one of them have it; a read followed by a
 *   delete gives it to both.
 * - lost update: client 1 takes S1 while client 2 puts S2. Row-level writes
 *   keep both; a read-modify-write of everything loses one.
 */
import type { History } from '../../core/history.ts';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import type { SessionStore } from '../../../src/session-store.ts';
import { sqliteFileFor } from '../../../src/stores/sqlite-store.ts';
import { silentLogger } from '../../../src/log.ts';
import { spawnChild, type RunningChild } from '../../deploy/process/child-process.ts';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import { OWN_MODULE_LOADER, ownModule } from '../../core/package-layout.ts';
import { seededSession } from '../store-faults/seeded-session.ts';
import type { RaceKind } from './race-kind.ts';
import type { ParticipantEvent, ParticipantSpec } from './store-race-protocol.ts';
import { judgeStoreLevelDoubleUse, judgeStoreLevelLostUpdate, type StoreLevelRace } from './store-level-race.ts';

const PARTICIPANT = ownModule(new URL('./store-race-participant.ts', import.meta.url));

export interface SqliteRaceOptions {
  /** Where the nemesis's operations (lock held, lock released) are recorded. */
  history?: History;
  /** A folder of the run for this race's database and the participants' specs. */
  dir: string;
  logDir: string;
  /** How long both operations are kept waiting once both have started. */
  holdMs?: number;
  /** How long to wait for both to start. */
  startDeadlineMs?: number;
  /** Another implementation for the participants (a module exporting openStore); default src/'s sqlite store. */
  storeModule?: string;
  /** Opens the store in the harness for seeding and the read afterwards; default src/'s. */
  openStore?: (sessionFile: string) => SessionStore;
}

export const SQLITE_FORCED_BY = 'a third connection held SQLite\'s write lock (BEGIN IMMEDIATE) while two client processes, each with its own connection to one database file, started the operations; then it committed';

const srcSqlite = (sessionFile: string) => createSessionStore('sqlite', { sessionFile, logger: silentLogger });

function participant(options: SqliteRaceOptions, name: string, sessionFile: string, op: ParticipantSpec['op']): RunningChild {
  const spec: ParticipantSpec = { store: 'sqlite', sessionFile, op, ...(options.storeModule ? { storeModule: options.storeModule } : {}) };
  const specFile = path.join(options.dir, `${name}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  return spawnChild({ name, command: process.execPath, args: [...OWN_MODULE_LOADER, PARTICIPANT, specFile], cwd: PROJECT_ROOT, env: {}, logDir: options.logDir });
}

const events = (child: RunningChild): ParticipantEvent[] =>
  child.stdout.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as ParticipantEvent];
    } catch {
      return [];
    }
  });

const ended = (child: RunningChild) => events(child).find((e): e is Extract<ParticipantEvent, { type: 'ok' | 'fail' }> => e.type === 'ok' || e.type === 'fail');

export async function forceSqliteRace(kind: RaceKind, options: SqliteRaceOptions): Promise<StoreLevelRace> {
  const begun = performance.now();
  const holdMs = options.holdMs ?? 300;
  const open = options.openStore ?? srcSqlite;
  const folder = path.join(options.dir, `sqlite-${kind}`);
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, 0o700);
  const sessionFile = path.join(folder, 'sessions.json');
  const seed = `race-${kind}`;
  const s1 = seededSession(seed, 1);
  const s2 = seededSession(seed, 2);
  const finish = (status: StoreLevelRace['status'], detail: string, held = 0): StoreLevelRace => ({
    kind,
    store: 'sqlite',
    status,
    forcedBy: SQLITE_FORCED_BY,
    held,
    detail,
    durationMs: Math.round(performance.now() - begun),
  });

  const seeding = open(sessionFile);
  await seeding.put('sessions', s1.state, s1);
  await seeding.close();

  const nemesis = new Database(sqliteFileFor(sessionFile), { timeout: 5000 });
  const children: RunningChild[] = [];
  let releasingAt: number | undefined;
  try {
    nemesis.exec('BEGIN IMMEDIATE');
    options.history?.record({ type: 'info', f: 'write-lock-held', process: 'nemesis', value: { database: sqliteFileFor(sessionFile), how: 'BEGIN IMMEDIATE' } });
    const ops: ParticipantSpec['op'][] = kind === 'double-use' ? [{ f: 'take', state: s1.state }, { f: 'take', state: s1.state }] : [{ f: 'take', state: s1.state }, { f: 'put', session: s2 }];
    ops.forEach((op, i) => children.push(participant(options, `race-sqlite-${kind}-${i + 1}-${process.pid}-${Date.now()}`, sessionFile, op)));
    const started = await Promise.allSettled(
      children.map((child) => child.waitForLine('stdout', (line) => (line.includes('"type":"invoke"') ? true : undefined), 'the start of its operation', options.startDeadlineMs ?? 15_000)),
    );
    // Both are now inside their operation (or one never got there: the held count will say so).
    if (started.every((s) => s.status === 'fulfilled')) await new Promise((resolve) => setTimeout(resolve, holdMs));
    releasingAt = Date.now();
    nemesis.exec('COMMIT');
    options.history?.record({ type: 'info', f: 'write-lock-released', process: 'nemesis', value: { participantsStarted: started.filter((s) => s.status === 'fulfilled').length } });
    await Promise.all(children.map((child) => child.exited));
  } catch (error) {
    return finish('harness-error', error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    if (nemesis.inTransaction) nemesis.exec('ROLLBACK');
    nemesis.close();
    await Promise.all(children.map((child) => child.stop({ graceMs: 500 })));
  }

  const results = children.map(ended);
  // An operation still unfinished when the lock was let go waited for it.
  const held = results.filter((r) => r !== undefined && releasingAt !== undefined && r.time >= releasingAt).length;
  const errors = results.flatMap((r, i) => (r === undefined ? [`client ${i + 1} did not finish: ${children[i]!.tail(3)}`] : r.type === 'fail' ? [`client ${i + 1}: ${r.error}`] : []));
  const found = (r: (typeof results)[number]) => (r?.type === 'ok' ? r.found === true : undefined);

  if (kind === 'double-use') {
    const judged = judgeStoreLevelDoubleUse({ found: [found(results[0]), found(results[1])], errors, held });
    return finish(judged.status, judged.detail, held);
  }
  const reader = open(sessionFile);
  let after: { putStateAfter: boolean; takenStateAfter: boolean };
  try {
    after = { putStateAfter: (await reader.get('sessions', s2.state)) !== undefined, takenStateAfter: (await reader.get('sessions', s1.state)) !== undefined };
  } finally {
    await reader.close();
  }
  const judged = judgeStoreLevelLostUpdate({ takeFound: found(results[0]), putAcknowledged: results[1]?.type === 'ok', ...after, errors, held });
  return finish(judged.status, judged.detail, held);
}
