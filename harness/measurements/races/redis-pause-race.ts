/**
 * The forced races for the redis store, at the server. The write gate sees
 * only file writes; Redis keeps sessions in a server, so at the flow level
 * both races end "no unguarded write". Here the nemesis pauses the server's
 * writes (`CLIENT PAUSE <ms> WRITE`: reads go on, every write command waits)
 * while two store instances, each with its own connection, start the race's
 * operations; the pause then ends for both at once.
 *
 * - double use: both take the same state. GETDEL is one write command, so
 *   both wait and only the first gets the session; a GET followed by a DEL
 *   hands it to both.
 * - lost update: one takes S1 while the other puts S2. One key per session
 *   keeps both; a read-modify-write of all sessions loses one.
 *
 * A redis-server of its own (not the run's): pausing the run's server would
 * stall every other measurement using it.
 */
import type { History } from '../../core/history.ts';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import type { SessionStore } from '../../../src/session-store.ts';
import { silentLogger } from '../../../src/log.ts';
import { RedisServer } from '../../deploy/services/redis-server.ts';
import { seededSession } from '../store-faults/seeded-session.ts';
import type { RaceKind } from './race-kind.ts';
import { judgeStoreLevelDoubleUse, judgeStoreLevelLostUpdate, type StoreLevelRace } from './store-level-race.ts';

export interface RedisRaceOptions {
  /** Where the nemesis's operations (the pause and its end) are recorded. */
  history?: History;
  logDir: string;
  /** How long the server's writes stay paused. */
  pauseMs?: number;
  /** Another implementation (the tests' racy one); default src/'s redis store. */
  openStore?: (redisUrl: string, keyPrefix: string) => SessionStore;
}

export const REDIS_FORCED_BY = "the server's writes were paused (CLIENT PAUSE … WRITE) while two store instances, each with its own connection, started the operations; then the pause ended for both";

const srcRedis = (redisUrl: string, keyPrefix: string) => createSessionStore('redis', { redisUrl, redisKeyPrefix: keyPrefix, logger: silentLogger });

type Settled = { ok: true; found?: boolean; endedAt: number } | { ok: false; error: string; endedAt: number };

async function timed(work: () => Promise<boolean | void>): Promise<Settled> {
  try {
    const value = await work();
    return { ok: true, ...(typeof value === 'boolean' ? { found: value } : {}), endedAt: Date.now() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), endedAt: Date.now() };
  }
}

export async function forceRedisRace(kind: RaceKind, options: RedisRaceOptions): Promise<StoreLevelRace> {
  const begun = performance.now();
  const pauseMs = options.pauseMs ?? 400;
  const open = options.openStore ?? srcRedis;
  const finish = (status: StoreLevelRace['status'], detail: string, held = 0): StoreLevelRace => ({
    kind,
    store: 'redis',
    status,
    forcedBy: REDIS_FORCED_BY,
    held,
    detail,
    durationMs: Math.round(performance.now() - begun),
  });
  let server: RedisServer | undefined;
  let nemesis: Redis | undefined;
  const stores: SessionStore[] = [];
  try {
    server = await RedisServer.start({ logDir: options.logDir, name: `race-redis-${kind}-${process.pid}` });
    nemesis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const prefix = `race:${kind}:`;
    const [a, b] = [open(server.url, prefix), open(server.url, prefix)];
    stores.push(a, b);
    const seed = `race-${kind}`;
    const s1 = seededSession(seed, 1);
    const s2 = seededSession(seed, 2);
    await a.put('sessions', s1.state, s1);
    // Both connections up before the pause, so the race is between operations, not connects.
    if (!(await b.get('sessions', s1.state))) return finish('harness-error', 'the second store instance did not see the stored state');

    const pausedAt = Date.now();
    await nemesis.call('CLIENT', 'PAUSE', String(pauseMs), 'WRITE');
    options.history?.record({ type: 'info', f: 'client-pause', process: 'nemesis', value: { command: `CLIENT PAUSE ${pauseMs} WRITE`, server: server.url } });
    const results =
      kind === 'double-use'
        ? await Promise.all([timed(async () => (await a.take('sessions', s1.state)) !== undefined), timed(async () => (await b.take('sessions', s1.state)) !== undefined)])
        : await Promise.all([timed(async () => (await a.take('sessions', s1.state)) !== undefined), timed(() => b.put('sessions', s2.state, s2))]);
    // The pause ends on the server at most pauseMs after it was asked for: an operation ending after that waited for it.
    const held = results.filter((r) => r.endedAt >= pausedAt + pauseMs).length;
    options.history?.record({ type: 'info', f: 'client-pause-ended', process: 'nemesis', value: { held, results: results.map((r) => (r.ok ? { ok: true, found: r.found } : { ok: false, error: r.error })) } });
    const errors = results.flatMap((r, i) => (r.ok ? [] : [`client ${i + 1}: ${r.error}`]));
    const found = (r: Settled) => (r.ok ? r.found === true : undefined);
    if (kind === 'double-use') {
      const judged = judgeStoreLevelDoubleUse({ found: [found(results[0]!), found(results[1]!)], errors, held });
      return finish(judged.status, judged.detail, held);
    }
    const reader = open(server.url, prefix);
    stores.push(reader);
    const after = { putStateAfter: (await reader.get('sessions', s2.state)) !== undefined, takenStateAfter: (await reader.get('sessions', s1.state)) !== undefined };
    const judged = judgeStoreLevelLostUpdate({ takeFound: found(results[0]!), putAcknowledged: results[1]!.ok, ...after, errors, held });
    return finish(judged.status, judged.detail, held);
  } catch (error) {
    return finish('harness-error', error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
    nemesis?.disconnect();
    await server?.stop();
  }
}
