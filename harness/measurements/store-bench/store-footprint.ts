/**
 * C5, "~200 bytes per session": what a session costs on disk and in memory,
 * with realistic values (see realistic-session.ts).
 *
 * Disk: each store in a folder of its own, filled to N = 1, 100, 10,000
 * sessions; the folder's size (every file: a SQLite WAL counts) over N, and
 * the marginal growth between sizes. A store with no file shows 0 bytes.
 * Heap: a fresh child process (--expose-gc) holding N sessions in the memory
 * store; heapUsed after minus before, over N.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnChild } from '../../deploy/process/child-process.ts';
import { PROJECT_ROOT } from '../../core/run-folder.ts';
import { OWN_MODULE_LOADER, ownModule } from '../../core/package-layout.ts';
import { benchEnvironment, finishEnvironment, type BenchEnvironment } from './bench-environment.ts';
import { BenchStore, SeedingTooSlowError, withTimeout, type BenchStoreOpener, type SeedMethod } from './bench-store.ts';
import type { FileSize } from './folder-size.ts';
import { parseHeapReport, type HeapChildRequest } from './heap-footprint-protocol.ts';
import { round } from './op-stats.ts';
import { makeSessionFactory, sessionShape } from './realistic-session.ts';
import { defaultStoreKinds } from './store-kinds.ts';

/** The write-up's figure. */
export const CLAIMED_BYTES_PER_SESSION = 200;

export interface StoreFootprintOptions {
  /** Store kinds for the disk measurement; default: STORE_KINDS of src/session-store.ts as it is when this runs. */
  stores?: string[];
  quick?: boolean;
  /** Working folders (removed afterwards) and the heap child's log go here. */
  outDir: string;
  /** Overrides of the quick / full settings. */
  diskSizes?: number[];
  heapSessions?: number;
  /** Stores whose heap is measured in a child (default: the memory store, when measured; only it holds sessions on this process's heap). */
  heapStores?: string[];
  /** Also measure the heap with a distinct email string per session (a multi-user server); default: full runs only. */
  heapEmailPerSession?: boolean;
  /** Time allowed to fill one store to one size through put() (stores without a seeder). */
  seedBudgetMs?: number;
  /** Watchdog per step (open, fill, point, close). */
  stepTimeoutMs?: number;
  opener?: BenchStoreOpener;
  onProgress?: (message: string) => void;
}

export interface FootprintSettings {
  diskSizes: number[];
  heapSessions: number;
  heapEmailPerSession: boolean;
  seedBudgetMs: number;
  /** Watchdog per step (open, fill, close): a store that hangs fails its row, not the run. */
  stepTimeoutMs: number;
}

export const FULL_FOOTPRINT_SETTINGS: FootprintSettings = {
  diskSizes: [1, 100, 10_000],
  heapSessions: 100_000,
  heapEmailPerSession: true,
  seedBudgetMs: 60_000,
  stepTimeoutMs: 120_000,
};

export const QUICK_FOOTPRINT_SETTINGS: FootprintSettings = {
  diskSizes: [1, 100, 10_000],
  heapSessions: 10_000,
  heapEmailPerSession: false,
  seedBudgetMs: 400,
  stepTimeoutMs: 4_000,
};

export interface DiskPoint {
  sessions: number;
  bytes: number;
  /** bytes / sessions. */
  bytesPerSession: number;
  /** (bytes − bytes at the previous size) / (sessions − previous sessions); absent at the first size. */
  marginalBytesPerSession?: number;
  files: FileSize[];
}

export interface StoreDisk {
  store: string;
  available: boolean;
  error?: string;
  /** false when the store left no file in its folder at any size (memory, a server, a sealed state). */
  hasFiles: boolean;
  seedMethod?: SeedMethod;
  points: DiskPoint[];
  skippedSizes: { sessions: number; reason: string }[];
}

export interface HeapFootprint {
  store: string;
  sessions: number;
  /** false: redirect URI and email shared by every session, as this server builds them from its configuration. */
  emailPerSession: boolean;
  heapDeltaBytes?: number;
  bytesPerSession?: number;
  externalDeltaBytes?: number;
  rssDeltaBytes?: number;
  seedMethod?: string;
  fillMs?: number;
  pid?: number;
  error?: string;
}

export interface StoreFootprintResult {
  kind: 'store-footprint';
  quick: boolean;
  startedAt: string;
  durationMs: number;
  environment: BenchEnvironment;
  settings: FootprintSettings;
  claimedBytesPerSession: number;
  /** One realistic session's field lengths and JSON size. */
  sessionShape: ReturnType<typeof sessionShape>;
  disk: StoreDisk[];
  heap: HeapFootprint[];
}

export function footprintSettings(
  options: Pick<StoreFootprintOptions, 'quick' | 'diskSizes' | 'heapSessions' | 'heapEmailPerSession' | 'seedBudgetMs' | 'stepTimeoutMs'>,
): FootprintSettings {
  const base = options.quick ? QUICK_FOOTPRINT_SETTINGS : FULL_FOOTPRINT_SETTINGS;
  return {
    diskSizes: [...(options.diskSizes ?? base.diskSizes)].sort((a, b) => a - b),
    heapSessions: options.heapSessions ?? base.heapSessions,
    heapEmailPerSession: options.heapEmailPerSession ?? base.heapEmailPerSession,
    seedBudgetMs: options.seedBudgetMs ?? base.seedBudgetMs,
    stepTimeoutMs: options.stepTimeoutMs ?? base.stepTimeoutMs,
  };
}

export async function measureStoreFootprint(options: StoreFootprintOptions): Promise<StoreFootprintResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const environment = benchEnvironment();
  const settings = footprintSettings(options);
  const progress = options.onProgress ?? (() => {});
  const kinds = [...new Set(options.stores ?? defaultStoreKinds())];
  const workDir = path.join(options.outDir, 'store-footprint-work');
  mkdirSync(workDir, { recursive: true });
  const makeSession = makeSessionFactory();

  const disk: StoreDisk[] = [];
  const heap: HeapFootprint[] = [];
  try {
    for (const kind of kinds) {
      disk.push(await measureDisk(kind, path.join(workDir, kind), settings, makeSession, options.opener, progress));
    }
    const heapStores = options.heapStores ?? kinds.filter((k) => k === 'memory');
    const variants = settings.heapEmailPerSession ? [false, true] : [false];
    for (const store of heapStores) {
      for (const emailPerSession of variants) {
        const measured = await measureHeap({ store, sessions: settings.heapSessions, emailPerSession }, options.outDir, workDir);
        heap.push(measured);
        progress(
          measured.error
            ? `store-footprint: heap of ${store} not measured (${measured.error})`
            : `store-footprint: heap of ${store} holding ${settings.heapSessions.toLocaleString('en-US')} sessions${emailPerSession ? ' (an email per session)' : ''}: ${measured.bytesPerSession} B per session`,
        );
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    kind: 'store-footprint',
    quick: options.quick ?? false,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    environment: finishEnvironment(environment),
    settings,
    claimedBytesPerSession: CLAIMED_BYTES_PER_SESSION,
    sessionShape: sessionShape(makeSession()),
    disk,
    heap,
  };
}

async function measureDisk(
  kind: string,
  dir: string,
  settings: FootprintSettings,
  makeSession: () => ReturnType<ReturnType<typeof makeSessionFactory>>,
  opener: BenchStoreOpener | undefined,
  progress: (message: string) => void,
): Promise<StoreDisk> {
  const entry: StoreDisk = { store: kind, available: true, hasFiles: false, points: [], skippedSizes: [] };
  let bench: BenchStore;
  try {
    bench = await withTimeout(BenchStore.open(kind, dir, { opener }), settings.stepTimeoutMs, `opening the ${kind} store`);
  } catch (error) {
    entry.available = false;
    entry.error = `could not open: ${messageOf(error)}`;
    entry.skippedSizes = settings.diskSizes.map((sessions) => ({ sessions, reason: entry.error! }));
    progress(`store-footprint: ${kind} not measured (${entry.error})`);
    return entry;
  }
  try {
    let previous: DiskPoint | undefined;
    for (const [i, size] of settings.diskSizes.entries()) {
      if (i >= 2 && entry.points.every((p) => p.files.length === 0)) {
        // Nothing on disk at two sizes: a store without a file (memory, a server, a sealed state); filling it further measures nothing.
        for (const rest of settings.diskSizes.slice(i)) entry.skippedSizes.push({ sessions: rest, reason: 'no file at the smaller sizes' });
        break;
      }
      try {
        await withTimeout(bench.fillTo(size, makeSession, settings.seedBudgetMs), settings.seedBudgetMs + settings.stepTimeoutMs, `filling the ${kind} store to ${size}`);
      } catch (error) {
        const reason = error instanceof SeedingTooSlowError ? error.message : `failed: ${messageOf(error)}`;
        if (!(error instanceof SeedingTooSlowError)) entry.error = reason;
        for (const rest of settings.diskSizes.slice(i)) entry.skippedSizes.push({ sessions: rest, reason: rest === size ? reason : 'not attempted' });
        break;
      }
      entry.seedMethod = bench.seedMethod;
      const { files, bytes } = bench.footprint();
      const point: DiskPoint = { sessions: size, bytes, bytesPerSession: round(bytes / size), files };
      if (previous) point.marginalBytesPerSession = round((bytes - previous.bytes) / (size - previous.sessions));
      entry.points.push(point);
      previous = point;
    }
    entry.hasFiles = entry.points.some((p) => p.files.length > 0);
    const last = entry.points.at(-1);
    if (last) progress(`store-footprint: ${kind} on disk at ${last.sessions.toLocaleString('en-US')} sessions: ${entry.hasFiles ? `${last.bytes} B, ${last.bytesPerSession} B per session` : 'no file'}`);
  } finally {
    await withTimeout(bench.dispose(), settings.stepTimeoutMs, `closing the ${kind} store`).catch(() => undefined);
  }
  return entry;
}

const HEAP_CHILD = ownModule(new URL('./heap-footprint-child.ts', import.meta.url));

async function measureHeap(request: HeapChildRequest, outDir: string, workDir: string): Promise<HeapFootprint> {
  const result: HeapFootprint = { store: request.store, sessions: request.sessions, emailPerSession: request.emailPerSession };
  const child = spawnChild({
    name: `heap-footprint-${request.store}-${request.sessions}${request.emailPerSession ? '-email-per-session' : ''}`,
    command: process.execPath,
    args: ['--expose-gc', ...OWN_MODULE_LOADER, HEAP_CHILD, JSON.stringify(request)],
    cwd: PROJECT_ROOT,
    env: { TMPDIR: workDir },
    logDir: path.join(outDir, 'logs'),
  });
  result.pid = child.pid;
  try {
    const report = await child.waitForLine('stdout', parseHeapReport, 'its heap footprint', 5 * 60_000);
    if (report.counted !== request.sessions) throw new Error(`the store held ${report.counted} sessions, expected ${request.sessions}`);
    const delta = report.heapUsedAfter - report.heapUsedBefore;
    Object.assign(result, {
      heapDeltaBytes: delta,
      bytesPerSession: round(delta / request.sessions),
      externalDeltaBytes: report.externalDelta,
      rssDeltaBytes: report.rssDelta,
      seedMethod: report.seedMethod,
      fillMs: report.fillMs,
    });
  } catch (error) {
    result.error = messageOf(error).split('\n')[0];
  } finally {
    await child.stop({ graceMs: 2_000 });
  }
  return result;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
