/**
 * The folder and file rules of the stores that keep sessions on one host's
 * disk (atomic-file, sqlite). The write-up's file sits world-readable in a
 * shared /tmp, where another user can read PKCE verifiers or plant a symlink
 * that makes us overwrite a file of their choosing. These stores instead:
 *
 * - keep their data in a folder only this user can enter (0700, owned by us),
 *   created if missing and refused if it exists in any other shape;
 * - keep every file in it 0600, owned by us, and never a symbolic link;
 * - refuse, with an error naming the path and the problem, rather than fix
 *   or adopt something they did not make: a folder someone else made in
 *   /tmp is a trap, not a convenience.
 *
 * The folder check is the real protection (nobody else can create entries in
 * a 0700 folder, so nothing can be swapped under us); the file checks are
 * defence in depth and catch a folder that was loosened by hand.
 */
import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export class UnsafeStorePathError extends Error {
  readonly code = 'unsafe_store_path';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`Refusing session store path ${path}: ${problem}`);
    this.name = 'UnsafeStorePathError';
  }
}

/** This process's uid, or undefined where there is none (Windows: no ownership check). */
function ownUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** `${os.tmpdir()}/jira-oauth-<uid>`: the default private folder of the on-disk fixed stores. */
export function defaultPrivateStoreDir(): string {
  return path.join(os.tmpdir(), `jira-oauth-${ownUid() ?? os.userInfo().username}`);
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

function checkOwnerAndMode(target: string, stats: Stats, expected: number, what: string): void {
  const uid = ownUid();
  if (uid !== undefined && stats.uid !== uid) {
    throw new UnsafeStorePathError(target, `${what} is owned by uid ${stats.uid}, not by this process's uid ${uid}`);
  }
  if ((stats.mode & 0o077) !== 0) {
    throw new UnsafeStorePathError(
      target,
      `${what} has mode ${octal(stats.mode)}; expected ${octal(expected)} (no access for group or others)`,
    );
  }
}

/** What to do about a refused folder: the same for both on-disk stores. */
const FOLDER_HINT = (): string =>
  ` (SESSION_FILE must name a file inside a folder of this user's with mode 0700; unset, it is ${defaultPrivateStoreDir()})`;

/** Creates `dir` as 0700 when missing; throws UnsafeStorePathError unless it is our own private directory. */
export function ensurePrivateDir(dir: string): void {
  try {
    checkDir(dir);
  } catch (error) {
    if (error instanceof UnsafeStorePathError) throw new UnsafeStorePathError(error.path, `${error.problem}${FOLDER_HINT()}`);
    throw error;
  }
}

function checkDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    // EEXIST: a non-directory is in the way; the lstat below says what it is.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stats = lstatSync(dir);
  if (stats.isSymbolicLink()) throw new UnsafeStorePathError(dir, 'the folder is a symbolic link; expected a real directory');
  if (!stats.isDirectory()) throw new UnsafeStorePathError(dir, 'exists and is not a directory');
  checkOwnerAndMode(dir, stats, PRIVATE_DIR_MODE, 'the folder');
}

/** Checks the stats of an open or lstat'ed file; throws UnsafeStorePathError when it is not ours and private. */
export function checkPrivateFileStats(file: string, stats: Stats): void {
  if (stats.isSymbolicLink()) throw new UnsafeStorePathError(file, 'the file is a symbolic link; it will not be followed');
  if (!stats.isFile()) throw new UnsafeStorePathError(file, 'exists and is not a regular file');
  checkOwnerAndMode(file, stats, PRIVATE_FILE_MODE, 'the file');
}

/** lstat-based check: 'missing' when absent, 'ok' when our own private regular file, else throws. */
export function checkPrivateFile(file: string): 'missing' | 'ok' {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  checkPrivateFileStats(file, stats);
  return 'ok';
}
