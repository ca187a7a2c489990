/**
 * Kill points inside one write. Node hands a whole session file to the
 * kernel in a single write() (a 50 MB file too: checked with strace), and
 * strace's injection fires before that write copies a byte, so strace's
 * kill points can only leave a file empty or whole. A torn file needs the
 * kill to land during the kernel's copy: a large store (the write-up's
 * format, several MB) is rewritten by one put while the driver's watchdog
 * thread SIGKILLs the process once the file being written reaches a given
 * fraction of its size (see kill-inside-write.ts). Only for stores whose
 * file is the write-up's JSON: the large file is generated in that format.
 */
import { copyFileSync, statSync } from 'node:fs';
import { removeFolder } from '../../core/remove-folder.mjs';
import path from 'node:path';
import { writeLargeSessionFile } from '../../../fixtures/corrupt-session-files/broken-session-files.ts';
import { driveStore, folderFor, storeFolderFor, notApplicable, type FaultContext, type Measured } from './fault-context.ts';
import { readInFreshProcess } from './fresh-reader.ts';
import { fileVerdict, type FileVerdict } from './crash-mid-write.ts';
import { seededSession } from './seeded-session.ts';
import type { StoreProfile } from './store-disk-profile.ts';

export interface InsideWriteTrial {
  /** Fraction of the file's size at which the kill was aimed. */
  fraction: number;
  landed: boolean;
  sizeAtKill?: number;
  fileBytes: number;
  file: FileVerdict;
  committed: number;
  /** Sessions the fresh process could not find (count() against what was committed). */
  lost: number;
}

export interface InsideWriteResult {
  storeBytes: number;
  storeSessions: number;
  trials: InsideWriteTrial[];
  landed: number;
  files: Record<FileVerdict, number>;
  lostTotal: number;
}

export const INSIDE_WRITE_FRACTIONS = {
  quick: [0.2, 0.5],
  bench: [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95],
};

/** Tries per aimed fraction before the trial is reported as not landed. */
export const INSIDE_WRITE_ATTEMPTS = 4;

/**
 * The kill landed inside the copy: the process died before its put finished,
 * the file being written was still smaller than the old file then (the new
 * content is larger, so a file that size is one being written, cut short),
 * and the store's file is not larger than the old one now. The watchdog reads
 * the size a moment before it kills: on a busy machine the copy may finish in
 * that moment, and then the file holds the whole new content, a kill after
 * the copy that must not be read as one inside it (it was, once, and judged
 * the write-up's in-place write safe).
 */
function killedInsideCopy(run: { completed: boolean; events: readonly { type: string; sizeAtKill?: number }[] }, oldBytes: number, mainFile: string): boolean {
  const nemesis = run.events.find((event) => event.type === 'nemesis');
  if (nemesis === undefined || run.completed || nemesis.sizeAtKill === undefined || nemesis.sizeAtKill >= oldBytes) return false;
  try {
    return statSync(mainFile).size <= oldBytes;
  } catch {
    // No file at all: a write in place that died after truncating and before its first byte, still inside the put.
    return true;
  }
}

export async function measureCrashInsideWrite(ctx: FaultContext, profile: StoreProfile): Promise<Measured<InsideWriteResult>> {
  if (profile.format !== 'write-up-json' || !profile.mainFile) {
    return notApplicable('the store does not keep the write-up\'s JSON file, and this case generates its large file in that format');
  }
  const seed = `${ctx.store}-inside-write`;
  const targetBytes = (ctx.quick ? 8 : 16) * 1024 * 1024;
  const templateFile = path.join(folderFor(ctx, 'inside-write', 'template'), profile.mainFile);
  const template = await writeLargeSessionFile(templateFile, targetBytes, [], (index) => seededSession(seed, index));
  const newIndex = template.sessions + 1;
  const fractions = ctx.quick ? INSIDE_WRITE_FRACTIONS.quick : INSIDE_WRITE_FRACTIONS.bench;
  const attempt = async (fraction: number, n: number) => {
    const id = `at-${Math.round(fraction * 100)}pct${n > 1 ? `-try-${n}` : ''}`;
    const folder = storeFolderFor(ctx, 'inside-write', id, 'store');
    const sessionFile = path.join(folder, profile.mainFile!);
    copyFileSync(templateFile, sessionFile);
    const run = await driveStore(ctx, `inside-write-${id}`, {
      seed,
      ops: [{ f: 'open', sessionFile }, { f: 'put', index: newIndex }],
      killInsideWrite: { folder, atBytes: Math.floor(template.bytes * fraction), armBefore: 1 },
      workDir: folderFor(ctx, 'inside-write', id),
      timeoutMs: 60_000,
    });
    return { fraction, folder, sessionFile, run };
  };
  const runs = await Promise.all(
    fractions.map(async (fraction) => {
      // The watchdog polls; on a busy machine it may look only once the copy is over, and a kill after the copy is no kill inside it. Such a trial is made again, a bounded number of times, so that a busy machine does not decide what the row can show.
      let trial = await attempt(fraction, 1);
      for (let n = 2; n <= INSIDE_WRITE_ATTEMPTS && !killedInsideCopy(trial.run, template.bytes, trial.sessionFile); n++) trial = await attempt(fraction, n);
      return trial;
    }),
  );
  const sample = [0, 1, 2, template.sessions - 2, template.sessions - 1];
  const { results } = await readInFreshProcess(
    ctx,
    'inside-write-reader',
    seed,
    runs.map((trial) => ({ id: trial.folder, sessionFile: trial.sessionFile, indices: sample, count: true })),
  );
  const trials = runs.map((trial): InsideWriteTrial => {
    const read = results.get(trial.folder);
    const nemesis = trial.run.events.find((event) => event.type === 'nemesis');
    const putAcked = trial.run.events.some((event) => event.type === 'ok' && event.op === 1);
    const committed = template.sessions + (putAcked ? 1 : 0);
    const mainFile = path.join(trial.folder, profile.mainFile!);
    let fileBytes = -1;
    try {
      fileBytes = statSync(mainFile).size;
    } catch {
      fileBytes = -1;
    }
    return {
      fraction: trial.fraction,
      landed: killedInsideCopy(trial.run, template.bytes, mainFile),
      ...(nemesis?.type === 'nemesis' ? { sizeAtKill: nemesis.sizeAtKill } : {}),
      fileBytes,
      file: fileVerdict(mainFile, profile.format, read),
      committed,
      lost: Math.max(0, committed - (read?.count ?? 0)),
    };
  });
  // Every figure is taken: the 8 MB template and its copies (16 MB in the bench, several per fraction when a kill was retried) are only weight now, unless the run keeps its fixtures.
  if (!ctx.keep) {
    try {
      removeFolder(folderFor(ctx, 'inside-write'));
    } catch {
      // Left in the run folder: weight, not a wrong row; the runs' retention removes it with the run.
    }
  }
  const landed = trials.filter((trial) => trial.landed);
  const files: Record<FileVerdict, number> = { intact: 0, empty: 0, torn: 0, missing: 0, unreadable: 0 };
  for (const trial of landed) files[trial.file] += 1;
  return {
    status: 'measured',
    storeBytes: template.bytes,
    storeSessions: template.sessions,
    trials,
    landed: landed.length,
    files,
    lostTotal: landed.reduce((sum, trial) => sum + trial.lost, 0),
  };
}
