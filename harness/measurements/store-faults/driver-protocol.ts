/**
 * What the harness tells a store driver process to do, and the JSON lines it
 * answers with. Kept apart from both sides so the driver (which imports
 * src/stores) and the harness (which must not need to) share only types.
 */
import type { OAuthSession } from '../../../src/session-store.ts';

export type DriverOp =
  /** (Re)opens the store: createSessionStore(store, { sessionFile }); `tmpdir` sets TMPDIR first (default paths). */
  | { f: 'open'; sessionFile?: string; tmpdir?: string }
  /** Stores seeded session #index (see seeded-session.ts). */
  | { f: 'put'; index: number }
  /** Stores a session given in full (a forged one, say). */
  | { f: 'put-session'; session: OAuthSession }
  /** take() of seeded session #index: the single use at the callback. */
  | { f: 'take'; index: number }
  /** get() of a state given in full; the value says whether it was found and with which verifier. */
  | { f: 'get-state'; state: string }
  /** get() of each seeded index; the value lists the found ones and those found with a wrong verifier. */
  | { f: 'check'; indices: number[] }
  | { f: 'count' }
  /** Sizes and parse state of every file in the store's folder, seen from inside the process. */
  | { f: 'file-state'; folder: string };

export interface KillInsideWrite {
  /** Folder whose files are watched. */
  folder: string;
  /** SIGKILL once a file seen below this size since arming reaches it. */
  atBytes: number;
  /** Index (in ops) of the operation just before which the watchdog is armed. */
  armBefore: number;
}

export interface DriverSpec {
  store: string;
  seed: string;
  ops: DriverOp[];
  /** The run's redis-server, for a store that keeps sessions there (so it opens, and is seen to leave no file). */
  redisUrl?: string;
  /** Per-operation limit, so a store that hangs (a missing server) cannot hang the driver. */
  opTimeoutMs?: number;
  killInsideWrite?: KillInsideWrite;
  /**
   * Announce `waiting-for-tracer` and run no operation until every thread of
   * the process is traced (/proc/self/task/<tid>/status TracerPid): strace
   * attaches (-p) after start-up, so its counts start at the script.
   */
  waitForTracer?: boolean;
}

export interface DriverError {
  code?: string;
  message: string;
}

/** One JSON line on the driver's stdout. `op` is the operation's index in spec.ops. */
export type DriverEvent =
  | { type: 'start'; pid: number; store: string; uid: number; umask: string }
  | { type: 'waiting-for-tracer'; pid: number }
  | { type: 'traced'; tracerPid: number; waitedMs: number }
  | { type: 'invoke'; op: number; f: DriverOp['f']; index?: number; time: number }
  | { type: 'ok'; op: number; f: DriverOp['f']; index?: number; value?: unknown; ms: number; time: number }
  | { type: 'fail'; op: number; f: DriverOp['f']; index?: number; error: DriverError; ms: number; time: number }
  | { type: 'nemesis'; f: 'kill-inside-write'; file: string; sizeAtKill: number; time: number }
  | { type: 'done'; time: number };

export interface CheckValue {
  found: number[];
  /** Found under the right state but with another verifier: corrupted, counted as lost. */
  wrongVerifier: number[];
}

export interface GetStateValue {
  found: boolean;
  /** S256 of the verifier found, never the verifier: driver output goes to logs the secret scan reads. */
  verifierS256?: string;
}

export type FileParse = 'missing' | 'empty' | 'json-object' | 'json-other' | 'not-json' | 'directory' | 'unreadable';

export interface FileStateEntry {
  name: string;
  size: number;
  mode: string;
  parse: FileParse;
}
