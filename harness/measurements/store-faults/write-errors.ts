/**
 * Write errors: ENOSPC and EIO injected (strace `error=`) on the store's
 * first write during the 7th put of the crash script, once (a transient
 * fault) or on every write from then on (a disk that stays full). The
 * driver then looks at its own file, checks the earlier sessions, tries one
 * more put, and a fresh process reads what is left.
 */
import path from 'node:path';
import { acknowledgedBy, lossOf } from './acknowledged.ts';
import type { CheckValue, DriverOp, FileStateEntry } from './driver-protocol.ts';
import { driveStore, folderFor, storeFolderFor, type FaultContext } from './fault-context.ts';
import type { ReadResult, ReadTarget } from './fresh-reader.ts';
import { outcomeOf, type DriverRun } from './run-driver.ts';
import { crashScript, fileVerdict, opLabel, type Census, type FileVerdict } from './crash-mid-write.ts';
import type { StoreProfile } from './store-disk-profile.ts';

/** The put whose write fails: the 7th, so six sessions were committed before it (minus one take). */
const FAULTED_PUT = 6;
/** A session put after the fault, to see whether the store recovers. */
const AFTER_PUT = 1000;

export interface WriteErrorVariant {
  errno: 'ENOSPC' | 'EIO';
  persistent: boolean;
}

export const WRITE_ERROR_VARIANTS: readonly WriteErrorVariant[] = [
  { errno: 'ENOSPC', persistent: false },
  { errno: 'ENOSPC', persistent: true },
  { errno: 'EIO', persistent: false },
  { errno: 'EIO', persistent: true },
];

export interface WriteErrorRun {
  variant: WriteErrorVariant;
  folder: string;
  sessionFile: string;
  faultOp: number;
  ops: DriverOp[];
  run: DriverRun;
}

export interface WriteErrorTrial extends WriteErrorVariant {
  during: string;
  /** strace's log shows the error injected into a write of the store's files. */
  injected: boolean;
  /** What the caller of put got: the error, or nothing (it was told the session was stored). */
  putError?: string;
  committedBefore: number;
  /** Earlier sessions the same process could still read right after the failed put. */
  survivedRightAfter: number;
  fileRightAfter?: FileStateEntry;
  /** The next put (the disk has recovered, or not). */
  nextPut: string;
  /** Earlier sessions a fresh process reads at the end. */
  survivedAtEnd: number;
  lost: number[];
  fileAtEnd: FileVerdict;
  processAlive: boolean;
}

export async function runWriteError(ctx: FaultContext, census: Census, variant: WriteErrorVariant): Promise<WriteErrorRun> {
  const id = `${variant.errno.toLowerCase()}-${variant.persistent ? 'persistent' : 'once'}`;
  const folder = storeFolderFor(ctx, 'write-errors', id, 'store');
  const sessionFile = path.join(folder, 'sessions.json');
  const script = crashScript(sessionFile);
  const faultOp = script.findIndex((op) => op.f === 'put' && op.index === FAULTED_PUT);
  const firstWrite = census.writes.find((write) => write.op === faultOp);
  if (faultOp < 0 || !firstWrite) throw new Error(`the census saw no write to the store's files during put #${FAULTED_PUT}`);
  const earlier = Array.from({ length: FAULTED_PUT }, (_, i) => i);
  const ops: DriverOp[] = [
    ...script.slice(0, faultOp + 1),
    { f: 'file-state', folder },
    { f: 'check', indices: earlier },
    { f: 'put', index: AFTER_PUT },
    { f: 'file-state', folder },
  ];
  const run = await driveStore(ctx, `write-error-${id}`, {
    seed: census.seed,
    ops,
    workDir: folderFor(ctx, 'write-errors', id),
    strace: {
      mode: census.mode,
      ...(census.stableFiles ? { paths: census.files.map((file) => path.join(folder, file)) } : {}),
      injection: {
        kind: 'error',
        errno: variant.errno,
        syscall: firstWrite.syscall,
        when: census.stableFiles ? firstWrite.whenFiltered : firstWrite.whenAll,
        persistent: variant.persistent,
      },
    },
    timeoutMs: 60_000,
  });
  return { variant, folder, sessionFile, faultOp, ops, run };
}

export function writeErrorReadTarget(trial: WriteErrorRun): ReadTarget {
  return { id: trial.folder, sessionFile: trial.sessionFile, indices: [...Array.from({ length: FAULTED_PUT + 1 }, (_, i) => i), AFTER_PUT] };
}

export function judgeWriteError(trial: WriteErrorRun, profile: StoreProfile, read: ReadResult | undefined): WriteErrorTrial {
  const { run, faultOp } = trial;
  const before = acknowledgedBy(run.events.filter((event) => !('op' in event) || event.op < faultOp));
  const put = outcomeOf(run, faultOp);
  const stateAfter = outcomeOf(run, faultOp + 1);
  const checkAfter = outcomeOf(run, faultOp + 2);
  const nextPut = outcomeOf(run, faultOp + 3);
  const rightAfter = checkAfter?.type === 'ok' ? (checkAfter.value as CheckValue).found : [];
  const mainName = profile.mainFile ?? 'sessions.json';
  const fileRightAfter = stateAfter?.type === 'ok' ? (stateAfter.value as FileStateEntry[]).find((entry) => entry.name === mainName) : undefined;
  const atEnd = lossOf(before, read?.found ?? []);
  const injected = (run.strace?.writes ?? []).some((write) => write.injected && write.target.startsWith(`${trial.folder}/`));
  return {
    ...trial.variant,
    during: opLabel(trial.ops[faultOp]),
    injected,
    ...(put?.type === 'fail' ? { putError: put.error.code && !put.error.message.startsWith(put.error.code) ? `${put.error.code}: ${put.error.message}` : put.error.message } : {}),
    committedBefore: before.committed.size,
    survivedRightAfter: rightAfter.filter((index) => before.committed.has(index)).length,
    ...(fileRightAfter ? { fileRightAfter } : {}),
    nextPut: nextPut === undefined ? 'not reached' : nextPut.type === 'ok' ? 'ok' : `failed: ${nextPut.error.code ?? nextPut.error.message}`,
    survivedAtEnd: atEnd.committed - atEnd.lost.length,
    lost: atEnd.lost,
    fileAtEnd: fileVerdict(path.join(trial.folder, mainName), profile.format, read),
    processAlive: run.completed,
  };
}
