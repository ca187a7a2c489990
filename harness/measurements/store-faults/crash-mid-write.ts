/**
 * Crash mid-write: the process that rewrites the store's files is killed
 * (SIGKILL, by strace at an exact write) at every write of a script of
 * puts and takes, one kill per process; a fresh process then reads what is
 * left. Lost = sessions whose put was acknowledged before the kill (and
 * not consumed since) that the fresh process cannot find.
 *
 * A census run (traced, nothing injected) comes first: it lists every
 * write the script makes to the store's files, on which thread, with which
 * syscall, during which operation, so each kill point names a real write.
 * When the store writes only files that still exist afterwards, counting is
 * restricted to them with `-P` (the N-th write to the store's files); a
 * store that writes temp files with random names is counted over all
 * writes of the thread instead, and every kill is checked against strace's
 * log to see which file it really hit.
 */
import path from 'node:path';
import { acknowledgedBy, lossOf } from './acknowledged.ts';
import type { DriverOp } from './driver-protocol.ts';
import { driveStore, folderFor, storeFolderFor, type FaultContext } from './fault-context.ts';
import type { ReadResult, ReadTarget } from './fresh-reader.ts';
import type { DriverRun } from './run-driver.ts';
import { parseOf, storeFilesIn } from './session-file-state.ts';
import { killedWrite, type StraceMode } from './strace-injection.ts';
import type { StoreProfile } from './store-disk-profile.ts';

export const CRASH_PUTS = 48;
const TAKE_EVERY = 4;
export const CRASH_SCRIPT_TEXT = `${CRASH_PUTS} puts, a take after every ${TAKE_EVERY}th`;

/** The script every kill point is taken from. ops[0] opens the store. */
export function crashScript(sessionFile: string): DriverOp[] {
  const ops: DriverOp[] = [{ f: 'open', sessionFile }];
  for (let index = 0; index < CRASH_PUTS; index++) {
    ops.push({ f: 'put', index });
    if ((index + 1) % TAKE_EVERY === 0) ops.push({ f: 'take', index: index - 2 });
  }
  return ops;
}

export function opLabel(op: DriverOp | undefined): string {
  if (!op) return 'start-up';
  return 'index' in op ? `${op.f} #${op.index}` : op.f;
}

export interface StoreWrite {
  /** 1-based among the script's writes to the store's files. */
  ordinal: number;
  syscall: string;
  tid: number;
  /** Relative to the store's folder. */
  file: string;
  op: number | undefined;
  /** N for `when=N` when counting only the store's files (-P), per thread and syscall. */
  whenFiltered: number;
  /** N for `when=N` when counting every write of the thread, per syscall. */
  whenAll: number;
  bytes: number | undefined;
}

export interface Census {
  run: DriverRun;
  /** How strace traces the driver: attached after start-up, or launching it. */
  mode: StraceMode;
  folder: string;
  sessionFile: string;
  seed: string;
  ops: DriverOp[];
  writes: StoreWrite[];
  /** Every file written still exists at the end: `-P` can name them all. */
  stableFiles: boolean;
  files: string[];
}

export async function runCensus(ctx: FaultContext, mode: StraceMode): Promise<Census> {
  const seed = `${ctx.store}-crash`;
  const folder = storeFolderFor(ctx, 'crash', 'census', 'store');
  const sessionFile = path.join(folder, 'sessions.json');
  const ops = crashScript(sessionFile);
  const run = await driveStore(ctx, 'crash-census', { seed, ops, workDir: folderFor(ctx, 'crash', 'census'), strace: { mode }, timeoutMs: 60_000, urgent: true });
  if (!run.completed || !run.strace) throw new Error(`the census run (traced, nothing injected) did not complete: exit ${run.exit.code ?? run.exit.signal}`);
  const writes: StoreWrite[] = [];
  const all = new Map<string, number>();
  const filtered = new Map<string, number>();
  for (const write of run.strace.writes) {
    const key = `${write.tid}:${write.syscall}`;
    all.set(key, (all.get(key) ?? 0) + 1);
    if (!write.target.startsWith(`${folder}/`)) continue;
    filtered.set(key, (filtered.get(key) ?? 0) + 1);
    writes.push({
      ordinal: writes.length + 1,
      syscall: write.syscall,
      tid: write.tid,
      file: path.relative(folder, write.target),
      op: write.op,
      whenFiltered: filtered.get(key)!,
      whenAll: all.get(key)!,
      bytes: typeof write.result === 'number' ? write.result : undefined,
    });
  }
  const files = [...new Set(writes.map((write) => write.file))];
  const present = new Set(storeFilesIn(folder));
  return { run, mode, folder, sessionFile, seed, ops, writes, stableFiles: files.every((file) => present.has(file)), files };
}

/** `count` items spread evenly over the list, first and last included. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  if (count <= 1) return items.slice(0, 1);
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(Math.round((i * (items.length - 1)) / (count - 1)));
  return [...picked].sort((a, b) => a - b).map((index) => items[index]!);
}

/** File names with their random or numeric suffixes folded: sessions.json.3000576077 → sessions.json.*. */
export function namePatterns(files: readonly string[]): string[] {
  return [...new Set(files.map((file) => file.replace(/[.-]?\d{4,}$/, '.*')))];
}

export type FileVerdict = 'intact' | 'empty' | 'torn' | 'missing' | 'unreadable';

/** intact / empty / torn (does not parse, or the store cannot read it) / missing, from the bytes and the reader. */
export function fileVerdict(file: string, format: StoreProfile['format'], read: ReadResult | undefined): FileVerdict {
  const parse = parseOf(file);
  if (parse === 'missing' || parse === 'empty') return parse;
  if (parse === 'directory' || parse === 'unreadable') return 'unreadable';
  if (format === 'write-up-json') return parse === 'json-object' ? 'intact' : 'torn';
  return read?.error ? 'torn' : 'intact';
}

export interface KillTrial {
  ordinal: number;
  syscall: string;
  when: number;
  during: string;
  /** The process died inside a write to one of the store's files (from strace's log). */
  landed: boolean;
  landedOn?: string;
  committed: number;
  lost: number[];
  resurrected: number[];
  inFlight: number;
  file: FileVerdict;
  readError?: string;
}

export interface CrashResult {
  script: string;
  writesInScript: number;
  counting: string;
  /** Kill points tried (processes killed, or meant to be). */
  points: number;
  landed: number;
  committedTotal: number;
  lostTotal: number;
  lostMeanPerKill: number;
  lostMaxPerKill: number;
  killsWithLoss: number;
  files: Record<FileVerdict, number>;
  resurrectedTotal: number;
  /** How many of the quick run's points were tried out of the script's writes. */
  sampled: boolean;
  trials: KillTrial[];
}

export interface KillRun {
  write: StoreWrite;
  when: number;
  folder: string;
  sessionFile: string;
  run: DriverRun;
}

export async function runKill(ctx: FaultContext, census: Census, write: StoreWrite): Promise<KillRun> {
  const id = `kill-${String(write.ordinal).padStart(3, '0')}`;
  const folder = storeFolderFor(ctx, 'crash', id, 'store');
  const sessionFile = path.join(folder, 'sessions.json');
  const when = census.stableFiles ? write.whenFiltered : write.whenAll;
  const run = await driveStore(ctx, `crash-${id}`, {
    seed: census.seed,
    ops: crashScript(sessionFile),
    workDir: folderFor(ctx, 'crash', id),
    strace: {
      mode: census.mode,
      ...(census.stableFiles ? { paths: census.files.map((file) => path.join(folder, file)) } : {}),
      injection: { kind: 'kill', syscall: write.syscall, when },
    },
    timeoutMs: 60_000,
  });
  return { write, when, folder, sessionFile, run };
}

export function killReadTarget(kill: KillRun): ReadTarget {
  return { id: kill.folder, sessionFile: kill.sessionFile, indices: Array.from({ length: CRASH_PUTS }, (_, i) => i) };
}

export function judgeKill(kill: KillRun, census: Census, profile: Pick<StoreProfile, 'format' | 'mainFile'>, read: ReadResult | undefined): KillTrial {
  const died = kill.run.strace ? killedWrite(kill.run.strace) : undefined;
  // Landed: the process died inside a write to the store's files (possibly after its last operation, while closing).
  const landed = died !== undefined && died.target.startsWith(`${kill.folder}/`);
  const acknowledged = acknowledgedBy(kill.run.events);
  const found = [...(read?.found ?? [])];
  const loss = lossOf(acknowledged, found);
  return {
    ordinal: kill.write.ordinal,
    syscall: kill.write.syscall,
    when: kill.when,
    during: opLabel(kill.write.op === undefined ? undefined : census.ops[kill.write.op]),
    landed,
    ...(died ? { landedOn: path.relative(kill.folder, died.target) || died.target } : {}),
    committed: loss.committed,
    lost: loss.lost,
    resurrected: loss.resurrected,
    inFlight: acknowledged.inFlight.size,
    file: fileVerdict(path.join(kill.folder, profile.mainFile ?? 'sessions.json'), profile.format, read),
    ...(read?.error ? { readError: read.error } : {}),
  };
}

export function summarizeKills(census: Census, trials: KillTrial[], sampled: boolean): CrashResult {
  const landed = trials.filter((trial) => trial.landed);
  const files: Record<FileVerdict, number> = { intact: 0, empty: 0, torn: 0, missing: 0, unreadable: 0 };
  for (const trial of landed) files[trial.file] += 1;
  const lostCounts = landed.map((trial) => trial.lost.length);
  const lostTotal = lostCounts.reduce((a, b) => a + b, 0);
  return {
    script: CRASH_SCRIPT_TEXT,
    writesInScript: census.writes.length,
    counting: census.stableFiles
      ? `-P ${census.files.join(', ')}: only writes to the store's files count`
      : `every write of the thread counts (the store also writes ${namePatterns(census.files).join(', ')})`,
    points: trials.length,
    landed: landed.length,
    committedTotal: landed.reduce((sum, trial) => sum + trial.committed, 0),
    lostTotal,
    lostMeanPerKill: landed.length ? Number((lostTotal / landed.length).toFixed(2)) : 0,
    lostMaxPerKill: lostCounts.length ? Math.max(...lostCounts) : 0,
    killsWithLoss: lostCounts.filter((count) => count > 0).length,
    files,
    resurrectedTotal: landed.reduce((sum, trial) => sum + trial.resurrected.length, 0),
    sampled,
    trials,
  };
}

/** Census control: the untouched run must read back whole, or the reader (not the store) is at fault. */
export function censusReadTarget(census: Census): ReadTarget {
  return { id: census.folder, sessionFile: census.sessionFile, indices: Array.from({ length: CRASH_PUTS }, (_, i) => i) };
}

export function checkControl(census: Census, read: ReadResult | undefined): void {
  const loss = lossOf(acknowledgedBy(census.run.events), read?.found ?? []);
  if (read?.error || loss.lost.length > 0 || loss.committed === 0) {
    throw new Error(
      `control failed: the run with nothing injected read back ${loss.committed - loss.lost.length} of ${loss.committed} committed sessions${read?.error ? ` (${read.error})` : ''}`,
    );
  }
}
