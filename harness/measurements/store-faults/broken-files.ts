/**
 * A broken session file, per store: each case of
 * fixtures/corrupt-session-files breaks a copy of the store's healthy folder
 * (PROFILE_SESSIONS sessions in it); a driver then serves as a process
 * would: looks the old sessions up, starts a new flow (put), looks it up,
 * looks the old ones up again. Recorded: did the process live, did it say
 * what is wrong (stderr and the errors its callers got), how many of the
 * sessions that were there can no longer be found, whether the damaged
 * file's bytes are still in the folder afterwards (in place, or moved
 * aside) or the store overwrote them, and whether the fault left a path a
 * store could go on writing to (so new flows can be asked of it).
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BROKEN_SESSION_FILE_CASES, type BrokenSessionFileCase } from '../../../fixtures/corrupt-session-files/broken-session-files.ts';
import { removeFolder } from '../../core/remove-folder.mjs';
import type { CheckValue } from './driver-protocol.ts';
import { driveStore, folderFor, guarded, notApplicable, unknown, type FaultContext, type Measured } from './fault-context.ts';
import { complaints, outcomeOf } from './run-driver.ts';
import { seededSession, seededState } from './seeded-session.ts';
import { PROFILE_SESSIONS, withoutLocalFile, type StoreProfile } from './store-disk-profile.ts';

export interface BrokenFileResult {
  id: string;
  what: string;
  /** The driver ran every operation and exited 0. */
  alive: boolean;
  exit: string;
  /** What the process said: warn/error lines on stderr and the errors its callers got (deduplicated). */
  messages: string[];
  /** A message names the session file or its folder. */
  saidWhatIsWrong: boolean;
  /** Committed before the fault. */
  sessionsBefore: number;
  /** Of those, how many were still on disk as bytes after the fault. */
  stillOnDisk: number;
  readableBefore: number;
  newPut: string;
  newPutMs?: number;
  newSessionReadable: boolean;
  keptAfter: number;
  lost: number;
  /** Lost sessions that were on disk after the fault and are no longer: the store's rewrite erased them. */
  erasedByStore: number;
  /** Whether the fault itself left the sessions' bytes on disk (the case's own statement): 'none' means the fault destroyed them. */
  bytesKept: BrokenSessionFileCase['bytesKept'];
  /**
   * The store's file as the fault left it (absent when no regular file was
   * there), and the name of a file in the folder holding exactly those bytes
   * after the process ran: the file itself, or a copy moved aside. No
   * `keptAs`: the store overwrote or removed the damaged bytes.
   */
  damagedFile?: { bytes: number; keptAs?: string };
  /**
   * The fault left a path a store can go on writing to: nothing but a
   * regular file at the file's path, and a folder (or, when the folder is
   * gone, its parent) writable by its owner. Then new flows can be served.
   */
  newFlowsPossible: boolean;
  /** Root would ignore the folder's mode: the driver ran without CAP_DAC_OVERRIDE. */
  ranWithoutPermissionOverride?: boolean;
}

const NEW_SESSION = PROFILE_SESSIONS;

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

function statesOnDisk(folder: string, states: readonly string[]): Set<string> {
  const present = new Set<string>();
  if (!existsSync(folder)) return present;
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    // A Buffer, not a latin1 string: at 50 MB, decoding costs more than the search (the states are ASCII).
    let bytes: Buffer;
    try {
      if (!statSync(file).isFile()) continue;
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    for (const state of states) if (bytes.includes(state)) present.add(state);
  }
  return present;
}


const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The main file's bytes as the fault left them, when it is a regular file. */
function damagedBytes(file: string): { bytes: number; sha256: string } | undefined {
  try {
    const stat = lstatSync(file);
    return stat.isFile() ? { bytes: stat.size, sha256: sha256(file) } : undefined;
  } catch {
    return undefined;
  }
}

/** A regular file directly in `folder` with exactly these bytes: where the store left the damaged file, if anywhere. */
function whereKept(folder: string, damaged: { bytes: number; sha256: string }): string | undefined {
  if (!existsSync(folder)) return undefined;
  for (const name of readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    try {
      const stat = lstatSync(file);
      if (stat.isFile() && stat.size === damaged.bytes && sha256(file) === damaged.sha256) return name;
    } catch {
      continue;
    }
  }
  return undefined;
}

const ownerCanWrite = (dir: string) => (statSync(dir).mode & 0o200) !== 0;

/** See BrokenFileResult.newFlowsPossible. */
function leavesWritablePath(folder: string, file: string): boolean {
  try {
    const atFile = existsSync(file) ? lstatSync(file) : undefined;
    if (atFile && !atFile.isFile()) return false;
    return existsSync(folder) ? ownerCanWrite(folder) : ownerCanWrite(path.dirname(folder));
  } catch {
    return false;
  }
}

/** A case's folder broken and read, before its driver runs. */
interface PreparedCase {
  broken: BrokenSessionFileCase;
  caseDir: string;
  folder: string;
  sessionFile: string;
  /** The earlier sessions the driver looks up. */
  looked: number[];
  states: string[];
  asOther: boolean;
  onDiskBefore: Set<string>;
  damaged: { bytes: number; sha256: string } | undefined;
  newFlowsPossible: boolean;
}

type Prepared = { status: 'prepared'; prepared: PreparedCase } | Exclude<Measured<BrokenFileResult>, { status: 'measured' }>;

/** The case that writes a 50 MB file and then has the driver parse it six times: the longest of all. */
const FIFTY_MEGABYTES_CASE = 'fifty-megabytes';

/** The folder a case breaks: its store's files, the fixture among them. */
export const brokenCaseFolder = (ctx: FaultContext, id: string) => path.join(ctx.dir, 'broken', id, 'store');

/**
 * Once its row is judged, the 50 MB case's folder is only weight in the run
 * folder (52 MB of generated sessions, every run): it goes, unless the run
 * keeps its fixtures (--keep). The small cases' folders stay to be read.
 */
function dropBigFixture(ctx: FaultContext, id: string): void {
  if (id !== FIFTY_MEGABYTES_CASE || ctx.keep) return;
  try {
    removeFolder(brokenCaseFolder(ctx, id));
  } catch {
    // Left in the run folder: weight, not a wrong row; the runs' retention removes it with the run.
  }
}

async function prepareCase(ctx: FaultContext, profile: StoreProfile, broken: BrokenSessionFileCase): Promise<Prepared> {
  if (broken.format === 'json' && profile.format !== 'write-up-json') {
    return notApplicable("the store's file is not the write-up's JSON; this case is generated in that format");
  }
  const caseDir = folderFor(ctx, 'broken', broken.id);
  const folder = brokenCaseFolder(ctx, broken.id);
  cpSync(profile.folder, folder, { recursive: true });
  chmodSync(folder, 0o700);
  const mainFile = path.join(folder, profile.mainFile ?? 'sessions.json');
  const sessionFile = path.join(folder, 'sessions.json');
  const earlier = Array.from({ length: PROFILE_SESSIONS }, (_, i) => i);
  const states = earlier.map((index) => seededState(profile.seed, index));
  const asOther = broken.id === 'read-only-folder' && process.getuid?.() === 0;
  if (asOther && ctx.otherUid === undefined) {
    return unknown('the harness runs as root, which ignores folder permissions, and setpriv (to drop that override) is missing');
  }
  await broken.apply({ folder, file: mainFile }, { keep: earlier.map((index) => seededSession(profile.seed, index)), filler: (index) => seededSession(`${profile.seed}-filler`, index) });
  // Every lookup of the write-up's store parses the whole file: at 50 MB,
  // look up a sample (first and last) rather than every session.
  const looked = broken.id === FIFTY_MEGABYTES_CASE ? [earlier[0]!, earlier[earlier.length - 1]!] : earlier;
  return {
    status: 'prepared',
    prepared: {
      broken,
      caseDir,
      folder,
      sessionFile,
      looked,
      states,
      asOther,
      onDiskBefore: statesOnDisk(folder, states),
      damaged: damagedBytes(mainFile),
      newFlowsPossible: leavesWritablePath(folder, mainFile),
    },
  };
}

async function driveCase(ctx: FaultContext, profile: StoreProfile, prepared: PreparedCase): Promise<Measured<BrokenFileResult>> {
  const { broken, caseDir, folder, sessionFile, looked, states, asOther, onDiskBefore, damaged, newFlowsPossible } = prepared;
  const ops = [
    { f: 'open' as const, sessionFile },
    { f: 'check' as const, indices: looked },
    { f: 'put' as const, index: NEW_SESSION },
    { f: 'check' as const, indices: [NEW_SESSION] },
    { f: 'check' as const, indices: looked },
  ];
  let run;
  try {
    run = await driveStore(ctx, `broken-${broken.id}`, {
      seed: profile.seed,
      ops,
      workDir: caseDir,
      timeoutMs: 120_000,
      // Long enough for a store that retries a lock it can never take to give up on its own.
      opTimeoutMs: 30_000,
      // The 50 MB case is the longest run of all: started last, it would be the whole tail.
      urgent: broken.id === FIFTY_MEGABYTES_CASE,
      ...(asOther ? { withoutPermissionOverride: true } : {}),
    });
  } finally {
    if (existsSync(folder) && statSync(folder).isDirectory()) chmodSync(folder, 0o700);
  }
  const found = (op: number) => {
    const event = outcomeOf(run, op);
    return event?.type === 'ok' ? (event.value as CheckValue).found : [];
  };
  const opened = outcomeOf(run, 0);
  const put = outcomeOf(run, 2);
  const failures = run.events.flatMap((event) => (event.type === 'fail' ? [`${event.f}: ${event.error.message}`] : []));
  // Shorter quotes: the case folder's path is the same in every message.
  const shorten = (line: string) => line.replace(/^\S+Z\s+/, '').split(caseDir).join('<case>');
  const messages = [...new Set([...complaints(run), ...failures].map(shorten))];
  const sessionsBefore = broken.committedBefore ? looked.length : 0;
  const keptAfter = broken.committedBefore ? found(4).length : 0;
  const onDiskAfter = statesOnDisk(folder, states);
  const lostStates = looked.filter((index) => broken.committedBefore && !found(4).includes(index)).map((index) => seededState(profile.seed, index));
  return {
    status: 'measured',
    id: broken.id,
    what: broken.what,
    alive: run.completed && run.exit.code === 0,
    exit: run.completed ? `exit ${run.exit.code}` : run.timedOut ? 'hung (timed out)' : `died (code ${run.exit.code}, signal ${run.exit.signal})`,
    messages: messages.slice(0, 4),
    saidWhatIsWrong: messages.some((message) => message.includes('<case>')),
    sessionsBefore,
    stillOnDisk: broken.committedBefore ? looked.filter((index) => onDiskBefore.has(seededState(profile.seed, index))).length : 0,
    readableBefore: broken.committedBefore ? found(1).length : 0,
    newPut: opened?.type === 'fail' ? 'impossible (the store did not open)' : put === undefined ? 'not reached' : put.type === 'ok' ? 'ok' : `failed: ${put.error.code ?? put.error.message}`,
    ...(put && opened?.type !== 'fail' ? { newPutMs: Math.round(put.ms) } : {}),
    newSessionReadable: found(3).includes(NEW_SESSION),
    keptAfter,
    lost: sessionsBefore - keptAfter,
    erasedByStore: lostStates.filter((state) => onDiskBefore.has(state) && !onDiskAfter.has(state)).length,
    bytesKept: broken.bytesKept,
    ...(damaged ? { damagedFile: { bytes: damaged.bytes, ...optional('keptAs', whereKept(folder, damaged)) } } : {}),
    newFlowsPossible,
    ...(asOther ? { ranWithoutPermissionOverride: true } : {}),
  };
}

/**
 * Every case's folder is broken before any of their drivers starts: the
 * 50 MB file takes seconds of CPU to write, and written while the other
 * cases' drivers run it would leave the longest driver run of all to
 * start last, the whole tail of the measurement. `cases` narrows the
 * cases run (a test that reads a few); the measurement runs them all.
 */
export async function measureBrokenFiles(
  ctx: FaultContext,
  profile: StoreProfile,
  cases: readonly BrokenSessionFileCase[] = BROKEN_SESSION_FILE_CASES,
): Promise<Record<string, Measured<BrokenFileResult>>> {
  const prepared = await Promise.all(
    cases.map(async (broken): Promise<Prepared> => {
      if (!profile.hasLocalFile) return withoutLocalFile(profile);
      if (!profile.mainFile) return notApplicable('no local file in the folder the store was given');
      try {
        return await prepareCase(ctx, profile, broken);
      } catch (error) {
        return unknown(error);
      }
    }),
  );
  // The 50 MB case's driver is started first, so it takes a free slot rather than wait for one.
  const longestFirst = [...prepared.keys()].sort((a, b) => Number(cases[b]!.id === FIFTY_MEGABYTES_CASE) - Number(cases[a]!.id === FIFTY_MEGABYTES_CASE));
  const results = new Map<string, Measured<BrokenFileResult>>();
  await Promise.all(
    longestFirst.map(async (index) => {
      const ready = prepared[index]!;
      results.set(cases[index]!.id, ready.status === 'prepared' ? await guarded(() => driveCase(ctx, profile, ready.prepared)) : ready);
      dropBigFixture(ctx, cases[index]!.id);
    }),
  );
  return Object.fromEntries(cases.map((broken) => [broken.id, results.get(broken.id)!]));
}
