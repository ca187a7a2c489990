import { describe, expect, test } from 'vitest';
import type { CellResult, ResultsDocument } from '../results/results-document.ts';
import { gradeStores } from './grade-stores.ts';

const cell = (scenario: string, store: string, ok: boolean, p50 = 50): CellResult =>
  ({ scenario, store, flows: 5, tokenHandoffs: { ok: ok ? 5 : 0, failed: 0 }, latencyMs: { p50, samples: 5 }, expected: { outcome: 'pass' } }) as unknown as CellResult;

function documentWith(stores: Record<string, { isolated: boolean; takeUs: number }>): ResultsDocument {
  const cells = Object.entries(stores).flatMap(([store, s]) => [
    cell('single-process', store, true),
    cell('split-process', store, store !== 'memory'),
    cell('isolated', store, s.isolated),
    cell('callback-restart', store, store !== 'memory'),
  ]);
  const latency = {
    stores: Object.entries(stores).map(([store, s]) => ({ store, points: [{ liveSessions: 1000, ops: { get: { p50Us: s.takeUs }, take: { p50Us: s.takeUs }, put: { p50Us: s.takeUs } } }] })),
  };
  return { cells, reliability: [], measurements: [{ id: 'store-bench', durationMs: 1, quick: true, raw: { latency } }] } as unknown as ResultsDocument;
}

describe('which fix to ship', () => {
  const document = documentWith({
    memory: { isolated: false, takeUs: 0.3 },
    'atomic-file': { isolated: false, takeUs: 5000 },
    sqlite: { isolated: false, takeUs: 10 },
    redis: { isolated: true, takeUs: 90 },
    'sealed-state': { isolated: true, takeUs: 6 },
  });
  const needs = { redis: { reach: 'hosts', needs: ['a redis server (REDIS_URL)'] }, 'sealed-state': { reach: 'hosts', needs: ['a key shared by every process (SESSION_SEAL_KEY)'] } } as const;

  test('equal grades are separated by the take p50, not by a noisy flow p50', () => {
    const { recommendations } = gradeStores(document, needs, 'sqlite');
    expect(recommendations.find((r) => r.scope === 'one host')?.store).toBe('sealed-state');
    expect(recommendations.find((r) => r.scope === 'default of src/')).toMatchObject({ store: 'sqlite' });
    expect(recommendations.find((r) => r.scope === 'default of src/')?.why).toContain('src/ defaults to sqlite, which agrees');
  });

  test('several hosts considers only stores that passed isolated; memory is never recommended', () => {
    const { recommendations, stores } = gradeStores(document, needs, 'json-file');
    expect(recommendations.find((r) => r.scope === 'several hosts')?.store).toBe('sealed-state');
    expect(recommendations.map((r) => r.store)).not.toContain('memory');
    expect(stores.find((s) => s.store === 'memory')?.columns['split-process'].grade).toBe('fail');
    expect(recommendations.find((r) => r.scope === 'default of src/')?.why).toContain('which DISAGREES');
  });
});
