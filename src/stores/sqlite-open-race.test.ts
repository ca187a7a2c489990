/**
 * Replicas on one host start together and open one new database file at
 * once: SQLite answers the WAL switch with SQLITE_BUSY straight away (no
 * busy handler) to whichever comes second. Before the store retried it,
 * about one open in four failed so ("database is locked"); every open must
 * succeed. Real processes, started together, several rounds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const OPENER = fileURLToPath(new URL('./test-fixtures/open-sqlite-store.ts', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'sqlite-open-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A child loaded and waiting; `go()` makes it open the file now, and resolves to what it said. */
function opener(file: string): Promise<{ go: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', OPENER, file], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const closed = new Promise<string>((done) => child.on('close', () => done(out.replace(/^ready\n/, '').trim())));
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) resolve({ go: () => (child.stdin.write('go\n'), closed) });
    });
  });
}

test('three processes opening one new file at once all open it, in every round', async () => {
  const outcomes: string[] = [];
  for (let round = 0; round < 6; round++) {
    // A private folder per round, as the store wants one; a new file in it each time.
    const folder = path.join(dir, `round-${round}`);
    const file = path.join(folder, 'sessions.db');
    const loaded = await Promise.all([opener(file), opener(file), opener(file)]);
    outcomes.push(...(await Promise.all(loaded.map((child) => child.go()))));
  }
  expect(outcomes).toEqual(Array(18).fill('opened'));
}, 120_000);
