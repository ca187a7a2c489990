/**
 * C9's "debuggable: sessions visible in file system", measured: can a person
 * list the pending sessions from what the store left on disk with a standard
 * tool? JSON files are asked with `jq`, SQLite files with `sqlite3`; the
 * answer counts only when it names the state of the flow just started.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DebugListing {
  /** The command a person would type. */
  command: string;
  /** Did its output name the pending flow's state? */
  listsPendingState: boolean;
  /** Why it could not run (tool not installed, file unreadable). */
  error?: string;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function kindOf(file: string): 'json' | 'sqlite' | undefined {
  let head: string;
  try {
    head = readFileSync(file).subarray(0, 16).toString('latin1');
  } catch {
    return undefined;
  }
  if (head === SQLITE_MAGIC) return 'sqlite';
  if (/^\s*[[{]/.test(head)) return 'json';
  return undefined;
}

/** undefined: not a file a standard tool reads (a lock, a binary of another kind). */
export async function listPendingSessions(file: string, state: string): Promise<DebugListing | undefined> {
  const kind = kindOf(file);
  if (!kind) return undefined;
  // Every key and string of the document, or every row of every table: a person looking for "which flows are pending".
  const [tool, args] = kind === 'json' ? ['jq', ['-r', '[paths(scalars) | map(tostring) | join(".")] | .[]', file]] : ['sqlite3', ['-readonly', file, '.dump']];
  const command = `${tool} ${args.map((a) => (/[\s|[\]]/.test(a) ? `'${a}'` : a)).join(' ')}`;
  try {
    const { stdout } = await run(tool, args, { timeout: 10_000, maxBuffer: 64 * 1024 * 1024 });
    return { command, listsPendingState: stdout.includes(state) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { command, listsPendingState: false, error: code === 'ENOENT' ? `${tool} is not installed` : String((error as Error).message).split('\n')[0] };
  }
}
