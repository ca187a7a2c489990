/**
 * The "Faults" part of the reliability battery for session stores: crash
 * mid-write (strace kill points, and kills inside one large write), write
 * errors (ENOSPC, EIO), broken session files, and the predictable path in
 * a shared /tmp (symlink, pre-created file; the file's mode bits are the
 * security measurement's, judged once there). Every store kind
 * listed in src/session-store.ts when this runs is covered unless told
 * otherwise; a store without a local file is reported as not applicable,
 * with the reason found by watching it (store-profile.ts).
 *
 * Returns data only; fault-rows.ts turns it into REPORT.md rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as sessionStore from '../../../src/session-store.ts';
import { History } from '../../core/history.ts';
import { measureBrokenFiles, type BrokenFileResult } from './broken-files.ts';
import { measureCrashInsideWrite, type InsideWriteResult } from './crash-inside-write.ts';
import {
  censusReadTarget,
  checkControl,
  judgeKill,
  killReadTarget,
  runCensus,
  runKill,
  spread,
  summarizeKills,
  type CrashResult,
} from './crash-mid-write.ts';
import { createFaultContext, guarded, notApplicable, otherUserUid, unknown, type FaultContext, type Measured } from './fault-context.ts';
import { readInFreshProcess } from './fresh-reader.ts';
import { ProcessSlots } from './run-driver.ts';
import { measurePrecreated, measureSymlink, type PrecreatedResult, type SymlinkResult } from './shared-tmp.ts';
import { probeStrace, type StraceAvailability } from './strace-injection.ts';
import { profileStore, withoutLocalFile, type StoreProfile } from './store-disk-profile.ts';
import { judgeWriteError, runWriteError, WRITE_ERROR_VARIANTS, writeErrorReadTarget, type WriteErrorTrial } from './write-errors.ts';

/**
 * Kill points per store: every write of the script in bench (60); in repro
 * three, spread over the script's writes (crash-mid-write.ts `spread`): the
 * first (a file that holds nothing yet), the middle one (a rewrite of a file
 * that holds half the script's sessions: where a store that truncates in
 * place loses them) and the last. Each is a driver process under strace;
 * the bench's 60 say how often, these three whether at all.
 */
export const KILL_POINTS = { quick: 3, bench: 60 };

export interface StoreFaults {
  store: string;
  profile: Measured<{ profile: StoreProfile }>;
  crash: Measured<CrashResult>;
  insideWrite: Measured<InsideWriteResult>;
  writeErrors: Measured<{ trials: WriteErrorTrial[] }>;
  brokenFiles: Record<string, Measured<BrokenFileResult>>;
  symlink: Measured<SymlinkResult>;
  precreated: Measured<PrecreatedResult>;
  durationMs: number;
}

export interface StoreFaultsResult {
  quick: boolean;
  stores: string[];
  strace: StraceAvailability;
  /** uid that played "someone else", if any. */
  otherUid: number | undefined;
  runDir: string;
  durationMs: number;
  perStore: Record<string, StoreFaults>;
}

export interface MeasureStoreFaultsOptions {
  /** Default: every kind in src/session-store.ts's STORE_KINDS, read when this runs. */
  stores?: readonly string[];
  /** true: the `npm run repro` version (seconds); false: `npm run bench` (every kill point). */
  quick: boolean;
  runDir: string;
  onProgress?: (message: string) => void;
  /** Driver processes at once (default 2: small, shared machines). */
  concurrency?: number;
  /** Override the number of strace kill points per store. */
  killPoints?: number;
  /** The run's redis-server, so the redis store opens and is seen to keep no file. */
  redisUrl?: string;
  /** --keep: the big fixtures stay in the run folder once judged. */
  keep?: boolean;
}

interface WritePathFaults {
  crash: Measured<CrashResult>;
  writeErrors: Measured<{ trials: WriteErrorTrial[] }>;
}

export async function measureWritePath(ctx: FaultContext, profile: StoreProfile, strace: StraceAvailability, killPoints: number, progress: (m: string) => void): Promise<WritePathFaults> {
  if (!strace.usable) {
    const why = unknown(`strace injection unavailable: ${strace.why}`);
    return { crash: why, writeErrors: why };
  }
  const census = await runCensus(ctx, strace.mode);
  if (census.writes.length === 0) {
    const none = notApplicable('the census saw no write to the store\'s files during the script');
    return { crash: none, writeErrors: none };
  }
  const points = spread(census.writes, killPoints);
  let done = 0;
  const [kills, errors] = await Promise.all([
    Promise.all(
      points.map(async (write) => {
        const kill = await runKill(ctx, census, write);
        done += 1;
        if (done % 10 === 0 || done === points.length) progress(`${ctx.store}: ${done}/${points.length} kill points`);
        return kill;
      }),
    ),
    // repro: one failing write per errno; bench: also a disk that stays full (every write from then on).
    Promise.all(WRITE_ERROR_VARIANTS.filter((variant) => !ctx.quick || !variant.persistent).map((variant) => runWriteError(ctx, census, variant))),
  ]);
  const { results } = await readInFreshProcess(ctx, 'crash-reader', census.seed, [
    censusReadTarget(census),
    ...kills.map(killReadTarget),
    ...errors.map(writeErrorReadTarget),
  ]);
  checkControl(census, results.get(census.folder));
  const trials = kills.map((kill) => judgeKill(kill, census, profile, results.get(kill.folder)));
  return {
    crash: { status: 'measured', ...summarizeKills(census, trials, points.length < census.writes.length) },
    writeErrors: { status: 'measured', trials: errors.map((trial) => judgeWriteError(trial, profile, results.get(trial.folder))) },
  };
}

async function measureOneStore(ctx: FaultContext, strace: StraceAvailability, killPoints: number, progress: (m: string) => void): Promise<StoreFaults> {
  const started = performance.now();
  const store = ctx.store;
  let profile: StoreProfile;
  try {
    profile = await profileStore(ctx);
  } catch (error) {
    const why = unknown(error);
    return { store, profile: why, crash: why, insideWrite: why, writeErrors: why, brokenFiles: {}, symlink: why, precreated: why, durationMs: Math.round(performance.now() - started) };
  }
  progress(`${store}: ${profile.hasLocalFile ? `files ${profile.files.map((f) => f.name).join(', ')} (${profile.format})` : profile.reason}`);
  const noFile = withoutLocalFile(profile);
  const hasFile = profile.hasLocalFile && profile.mainFile !== undefined;
  const noFileInFolder = profile.hasLocalFile && !profile.mainFile ? notApplicable('the store ignored the session file path it was given') : noFile;
  const [writePath, insideWrite, brokenFiles, symlink, precreated] = await Promise.all([
    hasFile
      ? measureWritePath(ctx, profile, strace, killPoints, progress).catch((error: unknown) => ({ crash: unknown(error), writeErrors: unknown(error) }))
      : Promise.resolve({ crash: noFileInFolder, writeErrors: noFileInFolder }),
    hasFile ? guarded(() => measureCrashInsideWrite(ctx, profile)) : Promise.resolve(noFileInFolder),
    measureBrokenFiles(ctx, profile),
    guarded(() => measureSymlink(ctx, profile)),
    guarded(() => measurePrecreated(ctx, profile)),
  ]);
  progress(`${store}: faults done`);
  return {
    store,
    profile: { status: 'measured', profile },
    ...writePath,
    insideWrite,
    brokenFiles,
    symlink,
    precreated,
    durationMs: Math.round(performance.now() - started),
  };
}

export async function measureStoreFaults(options: MeasureStoreFaultsOptions): Promise<StoreFaultsResult> {
  const started = performance.now();
  const stores = [...(options.stores ?? sessionStore.STORE_KINDS)];
  const progress = (message: string) => options.onProgress?.(`faults: ${message}`);
  const faultsDir = path.join(options.runDir, 'faults');
  const logDir = path.join(options.runDir, 'logs');
  mkdirSync(faultsDir, { recursive: true });
  const history = new History(path.join(faultsDir, 'history.jsonl'));
  const slots = new ProcessSlots(options.concurrency ?? 2);
  const strace = await probeStrace(path.join(faultsDir, 'strace-probe'), logDir);
  progress(strace.usable ? `strace usable (${strace.version})` : `strace unusable: ${strace.why}`);
  const otherUid = otherUserUid();
  const killPoints = options.killPoints ?? (options.quick ? KILL_POINTS.quick : KILL_POINTS.bench);
  const perStore: Record<string, StoreFaults> = {};
  try {
    const measured = await Promise.all(
      stores.map((store) => measureOneStore(createFaultContext({ store, runDir: options.runDir, quick: options.quick, slots, history, redisUrl: options.redisUrl, keep: options.keep }), strace, killPoints, progress)),
    );
    for (const result of measured) perStore[result.store] = result;
  } finally {
    await history.close();
  }
  const result: StoreFaultsResult = {
    quick: options.quick,
    stores,
    strace,
    otherUid,
    runDir: options.runDir,
    durationMs: Math.round(performance.now() - started),
    perStore,
  };
  writeFileSync(path.join(faultsDir, 'store-faults.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
