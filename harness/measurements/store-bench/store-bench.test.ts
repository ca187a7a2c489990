/**
 * A tiny real run of both store measurements (memory + json-file, small N):
 * they complete and give positive figures. No timing thresholds: this
 * machine's speed is not what the gate checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Namespace, NamespaceRecords, SessionStore, StoreKind } from '../../../src/session-store.ts';
import { createSessionStore } from '../../../src/stores/create-session-store.ts';
import { silentLogger } from '../../../src/log.ts';
import { lookupTargets } from './store-claims.ts';
import { measureStoreFootprint } from './store-footprint.ts';
import { measureStoreLatency } from './store-latency.ts';
import { storeLatencyCharts } from './store-latency-chart.ts';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'store-bench-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('store micro-benchmarks, tiny real run', () => {
  it('measureStoreFootprint: the json-file store grows on disk, the memory store on the heap of a child process', async () => {
    const result = await measureStoreFootprint({ stores: ['memory', 'json-file'], outDir, diskSizes: [1, 20], heapSessions: 2_000, heapEmailPerSession: false });
    const file = result.disk.find((d) => d.store === 'json-file')!;
    expect(file.hasFiles).toBe(true);
    expect(file.points.map((p) => p.sessions)).toEqual([1, 20]);
    for (const p of file.points) expect(p.bytesPerSession).toBeGreaterThan(0);
    expect(file.points[1]!.marginalBytesPerSession).toBeGreaterThan(0);
    expect(result.disk.find((d) => d.store === 'memory')!.hasFiles).toBe(false);
    const [heap] = result.heap;
    expect(heap).toMatchObject({ store: 'memory', sessions: 2_000, emailPerSession: false });
    expect(heap!.error).toBeUndefined();
    expect(heap!.bytesPerSession).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('measureStoreLatency: every point of both stores has samples and positive p50s, ratios and charts', async () => {
    const result = await measureStoreLatency({ stores: ['json-file'], outDir, sizes: [10, 50], maxRepetitions: 5, minRepetitions: 2, timeBudgetMsPerPoint: 50 });
    expect(result.stores.map((s) => s.store)).toEqual(['memory', 'json-file']);
    for (const entry of result.stores) {
      expect(entry.error).toBeUndefined();
      expect(entry.points.map((p) => p.liveSessions)).toEqual([10, 50]);
      for (const p of entry.points) {
        expect(p.repetitions).toBeGreaterThanOrEqual(2);
        expect(p.misses).toBe(0);
        expect(p.liveAfter).toBe(p.liveSessions);
        for (const op of ['put', 'get', 'take'] as const) expect(p.ops[op].p50Us).toBeGreaterThan(0);
      }
    }
    expect(result.ratiosToMemory).toHaveLength(2);
    for (const r of result.ratiosToMemory) expect(r.get).toBeGreaterThan(0);
    expect(storeLatencyCharts(result).map((c) => c.id)).toEqual(['c7-put-latency', 'c7-get-latency', 'c7-take-latency']);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

/** A store the benchmark knows nothing about: no seeder fits it, so it is filled through put(). */
class PlainMapStore implements SessionStore {
  readonly kind = 'plain-map' as unknown as StoreKind;
  private readonly sessions = new Map<string, unknown>();
  async put(_ns: Namespace, key: string, record: unknown) {
    this.sessions.set(key, record);
  }
  async get<N extends Namespace>(_ns: N, key: string) {
    return this.sessions.get(key) as NamespaceRecords[N] | undefined;
  }
  async take<N extends Namespace>(ns: N, key: string) {
    const record = await this.get(ns, key);
    this.sessions.delete(key);
    return record;
  }
  async delete(_ns: Namespace, key: string) {
    this.sessions.delete(key);
  }
  async count() {
    return this.sessions.size;
  }
  async close() {}
}

/** A store whose put() never answers, as a client of a server that is not there. */
class HangingStore extends PlainMapStore {
  override put(): Promise<void> {
    return new Promise(() => {});
  }
}

describe('store micro-benchmarks over stores they do not know', () => {
  const opener = (kind: string) => (kind === 'hanging' ? new HangingStore() : kind === 'plain-map' ? new PlainMapStore() : createSessionStore(kind as StoreKind, { logger: silentLogger }));

  it('fills an unknown store through put(), and gives up on a hanging one without failing the run', async () => {
    const result = await measureStoreLatency({ stores: ['plain-map', 'hanging'], outDir, sizes: [10, 30], maxRepetitions: 3, minRepetitions: 1, timeBudgetMsPerPoint: 20, seedBudgetMs: 200, stepTimeoutMs: 300, opener });
    const plain = result.stores.find((s) => s.store === 'plain-map')!;
    expect(plain.seedMethod).toBe('put');
    expect(plain.points.map((p) => p.liveAfter)).toEqual([10, 30]);
    const hanging = result.stores.find((s) => s.store === 'hanging')!;
    expect(hanging.points).toEqual([]);
    expect(hanging.skippedSizes.map((s) => s.liveSessions)).toEqual([10, 30]);
    expect(hanging.error).toMatch(/did not finish within 500 ms/);
    expect(lookupTargets(result).find((t) => t.store === 'hanging')).toMatchObject({ within50us: null, flat: null });
  });
});
