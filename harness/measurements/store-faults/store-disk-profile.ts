/**
 * What a store leaves on disk, found by watching it rather than by knowing
 * it: one driver puts a few sessions with an explicit session file in an
 * empty folder, then one with no path at all (TMPDIR pointed at another
 * empty folder), and lists what appeared. A store that left nothing in
 * either has no local file, and the file faults do not apply to it.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileStateEntry } from './driver-protocol.ts';
import { driveStore, folderFor, notApplicable, storeFolderFor, unknown, type FaultContext } from './fault-context.ts';
import { outcomeOf } from './run-driver.ts';
import { modeString, storeFilesIn } from './session-file-state.ts';
import { seededState } from './seeded-session.ts';

/** Sessions the profile puts into its folder; the healthy folder the broken-file cases start from. */
export const PROFILE_SESSIONS = 5;

export interface StoreProfile {
  store: string;
  seed: string;
  hasLocalFile: boolean;
  /** Why there is no local file to fault, when there is none. */
  reason?: string;
  /**
   * With no local file: true when the store opened and acknowledged its puts
   * and left nothing (the file faults do not apply: n/a); false when it could
   * not be watched at all (they are unknown, not n/a).
   */
  seenWithoutFile?: boolean;
  /** The folder holding the healthy store (PROFILE_SESSIONS sessions), with sessions.json as its session file. */
  folder: string;
  sessionFile: string;
  /** Files the store made in that folder (relative names). */
  files: FileStateEntry[];
  /** The file the checkers classify: the session file if the store made it, else its first file. */
  mainFile: string | undefined;
  /** 'write-up-json': the main file is a JSON object keyed by state, as in the write-up. */
  format: 'write-up-json' | 'other';
  /** Files made with no path given (TMPDIR = an empty folder): the store's default, predictable names. */
  defaultFiles: FileStateEntry[];
  /** os.tmpdir() on this host and its mode: the folder of default files that sit directly in it. */
  defaultFolder: { path: string; mode: string };
  /** The folders (relative to TMPDIR, '.' for TMPDIR itself) the default files went to, with the mode the store gave them. */
  defaultFileFolders: { path: string; mode: string }[];
  umask: string;
}

export async function profileStore(ctx: FaultContext): Promise<StoreProfile> {
  const seed = `${ctx.store}-profile`;
  const folder = storeFolderFor(ctx, 'profile', 'store');
  const tmpdir = folderFor(ctx, 'profile', 'default-tmp');
  const sessionFile = path.join(folder, 'sessions.json');
  const puts = Array.from({ length: PROFILE_SESSIONS }, (_, index) => ({ f: 'put' as const, index }));
  const run = await driveStore(ctx, 'profile', {
    seed,
    workDir: folderFor(ctx, 'profile'),
    ops: [{ f: 'open', sessionFile }, ...puts, { f: 'open', tmpdir }, { f: 'put', index: PROFILE_SESSIONS }],
    timeoutMs: 30_000,
  });
  const start = run.events.find((event) => event.type === 'start');
  const hostTmp = os.tmpdir();
  const base = {
    store: ctx.store,
    seed,
    folder,
    sessionFile,
    defaultFolder: { path: hostTmp, mode: modeString(statSync(hostTmp).mode) },
    umask: start?.type === 'start' ? start.umask : process.umask().toString(8).padStart(4, '0'),
  };
  const entries = (dir: string): FileStateEntry[] =>
    storeFilesIn(dir).map((name) => {
      const stat = statSync(path.join(dir, name));
      return { name, size: stat.size, mode: modeString(stat.mode), parse: 'missing' as const };
    });
  const files = entries(folder);
  const defaultFiles = entries(tmpdir);
  const defaultFileFolders = [...new Set(defaultFiles.map((file) => path.dirname(file.name)))].map((dir) => ({
    path: dir,
    mode: dir === '.' ? base.defaultFolder.mode : modeString(statSync(path.join(tmpdir, dir)).mode),
  }));
  const opened = outcomeOf(run, 0);
  const put = outcomeOf(run, 1);
  if (files.length === 0 && defaultFiles.length === 0) {
    const why = !run.completed
      ? `the driver did not finish (exit ${run.exit.code ?? run.exit.signal})`
      : opened?.type === 'fail'
        ? `the store could not be opened in the driver: ${opened.error.message}`
        : put?.type === 'fail'
          ? `nothing was written to disk (the driver's put failed: ${put.error.message})`
          : 'a put left no file on disk';
    const seenWithoutFile = run.completed && opened?.type === 'ok' && put?.type === 'ok';
    return { ...base, hasLocalFile: false, reason: `no local file: ${why}`, seenWithoutFile, files, mainFile: undefined, format: 'other', defaultFiles, defaultFileFolders };
  }
  const mainFile = files.some((file) => file.name === 'sessions.json') ? 'sessions.json' : files[0]?.name;
  let format: StoreProfile['format'] = 'other';
  if (mainFile) {
    try {
      const parsed = JSON.parse(readFileSync(path.join(folder, mainFile), 'utf8')) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object' && seededState(seed, 0) in parsed) format = 'write-up-json';
    } catch {
      format = 'other';
    }
  }
  return { ...base, hasLocalFile: true, files, mainFile, format, defaultFiles, defaultFileFolders };
}

/**
 * The verdict for a file fault on a store without a local file: n/a when it
 * was seen working and leaving nothing; unknown when it could not be
 * watched (it did not open, its put failed), since then nothing was seen.
 */
export function withoutLocalFile(profile: StoreProfile, fallback = 'no local file'): { status: 'not-applicable' | 'unknown'; reason: string } {
  const reason = profile.reason ?? fallback;
  return profile.seenWithoutFile ? notApplicable(reason) : unknown(`not observed: ${reason}`);
}
