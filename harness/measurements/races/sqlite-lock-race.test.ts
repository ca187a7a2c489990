/**
 * Regression: sqlite "passed" both forced races because
 * the write gate could not see its writes, so nothing was ever forced. The
 * race is now forced at SQLite's own level; a racy implementation shows it
 * can fail, src/'s store shows it does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { forceSqliteRace } from './sqlite-lock-race.ts';
import { openStore as openRacy } from './test-fixtures/racy-sqlite-store.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-lock-race-'));
const options = { dir, logDir: path.join(dir, 'logs') };
const racy = { storeModule: fileURLToPath(new URL('./test-fixtures/racy-sqlite-store.ts', import.meta.url)), openStore: openRacy };

afterAll(async () => {
  await stopAllChildren({ graceMs: 200 });
  rmSync(dir, { recursive: true, force: true });
});

describe("src/'s sqlite store under SQLite's held write lock", () => {
  test.each(['double-use', 'lost-update'] as const)('%s: both operations held, and prevented', async (kind) => {
    const race = await forceSqliteRace(kind, { ...options, dir: path.join(dir, 'src') });
    expect(race.status, race.detail).toBe('prevented');
    expect(race.held).toBe(2);
  }, 30_000);
});

describe('a racy read-then-write SQLite store under the same nemesis', () => {
  test.each(['double-use', 'lost-update'] as const)('%s: reproduced', async (kind) => {
    const race = await forceSqliteRace(kind, { ...options, ...racy, dir: path.join(dir, 'racy') });
    expect(race.status, race.detail).toBe('reproduced');
  }, 30_000);
});
