/**
 * Every place a run writes, checked before anything starts: a path that
 * cannot be written would otherwise fail after the whole run, its results
 * lost. A path the user gave (--junit, GITHUB_STEP_SUMMARY) that is wrong
 * is an OutputPathError, a usage error; a folder the harness writes on its
 * own (the runs folder, the compile cache) that cannot be written is a
 * HarnessFolderError, the environment's (a read-only checkout).
 *
 * Folders are created only where the run owns the room (the project, the
 * runs folder): a typo elsewhere must not leave a new folder behind, least
 * of all when the harness runs as root.
 */
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { cacheRoot, PROJECT_ROOT, runsRoot } from '../core/run-folder.ts';
import { FROM_PACKAGE } from '../core/package-layout.ts';
import { ensureHarnessFolder, errnoReason, isErrnoError } from '../deploy/target/harness-folder.ts';

export class OutputPathError extends Error {
  readonly code = 'output_path_invalid';
  override name = 'OutputPathError';
  constructor(
    /** How the user gave it: `--junit out/x.xml`, `GITHUB_STEP_SUMMARY=/tmp/s.md`. */
    readonly given: string,
    readonly problem: string,
  ) {
    super(`${given}: ${problem}`);
  }
}

export interface OutputRoots {
  project: string;
  runs: string;
  cache: string;
}

export interface AskedOutputs {
  /** --junit, as given (relative to the working directory). */
  junit?: string;
  /** $GITHUB_STEP_SUMMARY: GitHub's per-step file, appended to. */
  stepSummary?: string;
}

/** Throws HarnessFolderError or OutputPathError for the first place that cannot be written; creates the folders the run owns. */
// The installed package's project is the user's (the working directory), never the package's folder in node_modules.
export function checkOutputPaths(asked: AskedOutputs, roots: OutputRoots = { project: FROM_PACKAGE ? process.cwd() : PROJECT_ROOT, runs: runsRoot(), cache: cacheRoot() }): void {
  // The harness's own folders first: in a read-only checkout, that is the cause to tell, not a --junit path under it.
  ensureHarnessFolder(roots.runs, 'runs folder');
  ensureHarnessFolder(roots.cache, 'compile cache');
  if (asked.junit !== undefined) {
    const mayCreate = (folder: string) => isInside(roots.project, folder) || isInside(roots.runs, folder);
    checkFileToReplace(`--junit ${asked.junit}`, path.resolve(asked.junit), { mayCreate, whenMissing: ' (folders are made only inside the project or the runs folder; make it first)' });
  }
  // GitHub makes the step summary's folder; one missing means the variable points somewhere else.
  if (asked.stepSummary) checkFileToReplace(`GITHUB_STEP_SUMMARY=${asked.stepSummary}`, path.resolve(asked.stepSummary), { mayCreate: () => false, whenMissing: '' });
}

/**
 * A file the run replaces whole (written aside, renamed over it): it may not
 * exist yet, but if it does it is a regular file (a rename over /dev/null
 * would replace the device), and its folder exists, or may be created, and
 * takes new files.
 */
function checkFileToReplace(given: string, file: string, folders: { mayCreate: (folder: string) => boolean; whenMissing: string }): void {
  const existing = statIfThere(file);
  if (existing?.isDirectory()) throw new OutputPathError(given, 'is a folder; expected a file path');
  if (existing && !existing.isFile()) throw new OutputPathError(given, `is not a regular file (${kindOf(existing)}); the file is replaced whole, so it must be one`);
  const folder = path.dirname(file);
  const shown = display(folder);
  const folderStat = statIfThere(folder);
  if (folderStat && !folderStat.isDirectory()) throw new OutputPathError(given, `its folder ${shown} is a file, not a folder`);
  if (!folderStat) {
    const blocking = nearestExisting(folder);
    if (blocking && !statIfThere(blocking)!.isDirectory()) throw new OutputPathError(given, `its folder ${shown} cannot be made: ${display(blocking)} is a file, not a folder`);
    if (!folders.mayCreate(folder)) throw new OutputPathError(given, `its folder ${shown} does not exist${folders.whenMissing}`);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      if (!isErrnoError(error)) throw error;
      throw new OutputPathError(given, `its folder ${shown} cannot be made (${errnoReason(error)})`);
    }
  }
  try {
    // Written aside in the folder and renamed: the folder must take new files, whatever the file's own mode.
    accessSync(folder, constants.W_OK | constants.X_OK);
    if (existing) accessSync(file, constants.W_OK);
  } catch (error) {
    if (!isErrnoError(error)) throw error;
    throw new OutputPathError(given, `${existing ? 'it or its folder' : `its folder ${shown}`} is not writable (${errnoReason(error)})`);
  }
}

function statIfThere(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    // ENOTDIR: a file stands where a folder on the way should be; the caller finds which.
    if (isErrnoError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return undefined;
    throw error;
  }
}

function nearestExisting(folder: string): string | undefined {
  for (let current = folder; ; current = path.dirname(current)) {
    if (statIfThere(current)) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function isInside(root: string, folder: string): boolean {
  const relative = path.relative(root, folder);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Relative to the working directory when below it (as the user likely typed it), else absolute. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' ? '.' : isInside(process.cwd(), file) ? relative : file;
}
