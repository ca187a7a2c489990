/**
 * C5 across replicas for one store: bytes per remote flow, from the host
 * readings alone. Pure.
 *
 * Per flow, not per item: a remote flow stores several records (what the
 * MCP authorization makes: a client registration, a pending authorization,
 * a code, tokens, an MCP session), and nothing generic tells them apart in
 * a store's files, so the figure is per completed flow, after the first
 * (whatever a store makes once is not a flow's). The claim's tolerance is
 * the stdio C5's: up to 1.25 × 200 B still reads as "~200".
 *
 * - unknown: the harness failed, or not every flow completed (a broken
 *   flow leaves a part of its records, so bytes per flow would mean
 *   nothing), or fewer than two flows ran;
 * - n/a: no file under the hosts' folders changed: the store keeps its
 *   records elsewhere (a process's memory, a server, the tokens
 *   themselves), so there is nothing on disk to weigh;
 * - holds: at most 250 B per flow; does not hold: more.
 */
import { C5_MAX_FACTOR } from '../store-bench/store-claims.ts';
import { CLAIMED_BYTES_PER_SESSION } from '../store-bench/store-footprint.ts';
import type { DiskReading, RemoteFootprintStore } from './remote-footprint-result.ts';

export interface RemoteFootprintJudgement {
  verdict: 'holds' | 'does not hold' | 'unknown' | 'n/a';
  figure: string;
  why?: string;
  /** Bytes on disk per completed flow after the first, when measured. */
  diskBytesPerFlow?: number;
  /** Bytes in the Redis server's memory per flow after the first, when the store keeps its records there. */
  redisBytesPerFlow?: number;
  /** Flows the figures are measured over (after the first). */
  overFlows?: number;
}

export const REMOTE_C5_MAX_BYTES = CLAIMED_BYTES_PER_SESSION * C5_MAX_FACTOR;

/** Files new or resized between two readings, the largest change first: "h/tmp/a.json +2.4 kB". */
function changed(from: DiskReading, to: DiskReading): { name: string; delta: number }[] {
  const names = new Set([...Object.keys(from.files), ...Object.keys(to.files)]);
  return [...names]
    .map((name) => ({ name, delta: (to.files[name] ?? 0) - (from.files[name] ?? 0) }))
    .filter((file) => file.delta !== 0 || (file.name in to.files) !== (file.name in from.files))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
}

const signedBytes = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${Math.abs(bytes)} B`;

export function judgeRemoteFootprint(store: RemoteFootprintStore): RemoteFootprintJudgement {
  if (store.harnessError) return { verdict: 'unknown', figure: '–', why: `the harness failed: ${store.harnessError}` };
  if (store.flows < 2) return { verdict: 'unknown', figure: `${store.flows} flow run`, why: 'needs a first flow and more after it' };
  if (store.completed < store.flows) {
    return { verdict: 'unknown', figure: `${store.completed}/${store.flows} flows completed`, why: `bytes per flow need every flow completed (${store.firstBreak ?? 'some did not'})` };
  }
  if (!store.disk) return { verdict: 'unknown', figure: `${store.flows} flows completed`, why: 'the hosts were not read' };
  const over = store.flows - 1;
  const { before, afterFirst, afterAll } = store.disk;
  const perFlow = Math.round((afterAll.bytes - afterFirst.bytes) / over);
  const redis = store.redisMemory ? Math.round((store.redisMemory.afterAll.bytes - store.redisMemory.afterFirst.bytes) / over) : undefined;
  const inRedis = redis !== undefined ? `; ${redis} B per flow in the Redis server's memory (MEMORY USAGE of its database's ${store.redisMemory!.afterAll.keys} keys)` : '';
  const base = { overFlows: over, ...(redis !== undefined ? { redisBytesPerFlow: redis } : {}) };
  if (changed(before, afterAll).length === 0) {
    return { ...base, verdict: 'n/a', figure: `0 B on disk over ${over} flows after the first${inRedis}`, why: `no file under the hosts' folders changed: the store keeps its records elsewhere${redis === undefined ? ' (not measured here)' : ''}` };
  }
  const grew = changed(afterFirst, afterAll)
    .slice(0, 3)
    .map((file) => `${file.name} ${signedBytes(file.delta)}`)
    .join(', ');
  const figure =
    `${perFlow} B on disk per completed flow over ${over} flows after the first (×${(perFlow / CLAIMED_BYTES_PER_SESSION).toFixed(1)} the claimed ${CLAIMED_BYTES_PER_SESSION} B; the first flow ${signedBytes(afterFirst.bytes - before.bytes)})` +
    `${grew ? `; changed: ${grew}` : ''}${inRedis}`;
  return { ...base, diskBytesPerFlow: perFlow, verdict: perFlow <= REMOTE_C5_MAX_BYTES ? 'holds' : 'does not hold', figure };
}
