/**
 * A folder the harness writes on its own (the runs folder, the compile
 * cache), created and checked. When it cannot be written, a read-only
 * checkout being the usual reason, that is the environment's problem, not
 * the target's: the error names the folder and the errno, and says which
 * variable moves the folders, instead of surfacing later as a bad target
 * file or a failed run.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';

export class HarnessFolderError extends Error {
  readonly code = 'harness_folder_unwritable';
  override name = 'HarnessFolderError';
  constructor(
    /** What the folder is for, as the message says it: `runs folder`, `compile cache`. */
    readonly role: string,
    readonly folder: string,
    /** `EROFS: read-only file system`, or what else stood in the way. */
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`the harness cannot write its ${role} ${folder} (${reason}); OAUTH_REPRO_RUNS_DIR=<a writable folder> moves the runs and the harness's caches there`, options);
  }
}

/** Node's `EROFS: read-only file system, mkdir '/x'` without the call and the path the message already names. */
export function errnoReason(error: NodeJS.ErrnoException): string {
  const text = error.message.split(', ')[0] ?? error.message;
  return error.code && !text.startsWith(error.code) ? `${error.code}: ${text}` : text;
}

export function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('E');
}

/** Creates `folder` (and its parents) if need be and checks that files can be made in it; throws HarnessFolderError otherwise. */
export function ensureHarnessFolder(folder: string, role: string): void {
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (!isErrnoError(error)) throw error;
    // mkdir says EEXIST for a file standing where the folder should be, which reads as if all were well.
    const reason = error.code === 'EEXIST' && !isFolder(folder) ? 'it is a file, not a folder' : errnoReason(error);
    throw new HarnessFolderError(role, folder, reason, { cause: error });
  }
}

function isFolder(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/** A HarnessFolderError thrown anywhere below, even from another copy of this module (a target file loaded through another loader). */
export function asHarnessFolderError(error: unknown): HarnessFolderError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if ((current as { code?: unknown }).code === 'harness_folder_unwritable') return current as HarnessFolderError;
  }
  return undefined;
}
