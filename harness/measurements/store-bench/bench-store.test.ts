import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BenchStore, SeedingTooSlowError } from './bench-store.ts';
import { makeSessionFactory } from './realistic-session.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Regression: the seeding's own time counted against the put() budget, so on a slower
// moment the one put after seeding 9,999 json-file sessions was refused ("reached 9999
// of 10000 sessions in its 400 ms budget") and C5's figure fell back to 100 sessions.
test('a seeded fill always makes its last put, whatever the budget', async () => {
  const bench = await BenchStore.open('json-file', path.join(root, 'seeded'));
  await bench.fillTo(1, makeSessionFactory(), 0);
  await bench.fillTo(2_000, makeSessionFactory(), 0);
  expect(bench.live).toBe(2_000);
  expect(bench.seedMethod).toBe('json-object-file');
  expect(await bench.store.count('sessions')).toBe(2_000);
  await bench.dispose();
});

test('filling through put() alone still stops at its budget, saying how far it got', async () => {
  // sealed-state keeps nothing on disk, so no seeder fits it: every session goes through put().
  const bench = await BenchStore.open('sealed-state', path.join(root, 'puts'));
  const filling = bench.fillTo(1_000_000, makeSessionFactory(), 20);
  await expect(filling).rejects.toBeInstanceOf(SeedingTooSlowError);
  await expect(filling).rejects.toThrow(/reached \d+ of 1000000 sessions in its 20 ms budget/);
  expect(bench.live).toBeLessThan(1_000_000);
  await bench.dispose();
});
