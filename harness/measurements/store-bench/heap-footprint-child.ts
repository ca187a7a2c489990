/**
 * Child process of the heap measurement (C5, in memory): a fresh Node with
 * --expose-gc that fills one store kind with N realistic sessions and prints
 * the heap growth. A fresh process, so nothing else the harness allocated is
 * on the heap; gc before and after, so only what the store retains counts.
 *
 *   node --expose-gc --import tsx heap-footprint-child.ts '{"store":"memory","sessions":100000,"emailPerSession":false}'
 *
 * Prints one line on stdout: `HEAP_FOOTPRINT {json}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchStore } from './bench-store.ts';
import { makeSessionFactory } from './realistic-session.ts';
import { HEAP_FOOTPRINT_PREFIX, type HeapChildReport, type HeapChildRequest } from './heap-footprint-protocol.ts';

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc: the heap measurement needs a full gc before and after');
  for (let i = 0; i < 4; i += 1) gc();
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '') as HeapChildRequest;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'heap-footprint-'));
  try {
    const bench = await BenchStore.open(request.store, path.join(dir, request.store), { trackKeys: false });
    const makeSession = makeSessionFactory({ emailPerSession: request.emailPerSession });
    // Warm-up: code, inline caches and the store's first allocations are not sessions.
    for (let i = 0; i < 50; i += 1) {
      const s = await bench.newSession(makeSession);
      await bench.store.put('sessions', s.state, s);
      await bench.store.take('sessions', s.state);
    }
    collect();
    const before = process.memoryUsage();
    const startedAt = performance.now();
    await bench.fillTo(request.sessions, makeSession, 10 * 60_000);
    const fillMs = performance.now() - startedAt;
    collect();
    const after = process.memoryUsage();
    const counted = await bench.store.count('sessions');
    const report: HeapChildReport = {
      store: request.store,
      sessions: request.sessions,
      emailPerSession: request.emailPerSession,
      heapUsedBefore: before.heapUsed,
      heapUsedAfter: after.heapUsed,
      externalDelta: after.external - before.external,
      rssDelta: after.rss - before.rss,
      counted,
      seedMethod: bench.seedMethod,
      fillMs: Math.round(fillMs),
      pid: process.pid,
    };
    process.stdout.write(`${HEAP_FOOTPRINT_PREFIX}${JSON.stringify(report)}\n`);
    await bench.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`heap-footprint-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
