/**
 * Retention for the runs root: a full run leaves ~80 MB of logs, history
 * and fault folders, so at the start of a run only the newest run folders
 * stay. Never removed: the folder `latest` points at, a run whose harness
 * is still running (its pid is in the folder's name: another user's run,
 * a test worker's), and anything that is not a run folder by its name.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { parseRunFolderId } from './run-folder.ts';
import { removeFolder } from './remove-folder.mjs';
import { processAlive } from './process-alive.ts';

export interface RunFolderCandidates {
  /** Names in the runs root. */
  names: readonly string[];
  /** Run folders kept, the newest first. */
  keep: number;
  /** The name `latest` points at, if any. */
  latest?: string;
  /** Whether a harness with this pid is still running. */
  running: (pid: number) => boolean;
}

/** The run folders to remove, oldest last: all but the `keep` newest, less those never removed. */
export function runFoldersToRemove({ names, keep, latest, running }: RunFolderCandidates): string[] {
  const runs = names
    .map((name) => ({ name, parsed: parseRunFolderId(name) }))
    .filter((run): run is { name: string; parsed: NonNullable<typeof run.parsed> } => run.parsed !== undefined)
    .sort((a, b) => (a.parsed.stamp === b.parsed.stamp ? b.name.localeCompare(a.name) : b.parsed.stamp.localeCompare(a.parsed.stamp)));
  return runs
    .slice(Math.max(0, keep))
    .filter((run) => run.name !== latest && !running(run.parsed.pid))
    .map((run) => run.name);
}


/** Bytes a tree takes on disk (allocated blocks); symlinks are not followed. */
export function diskBytes(target: string): number {
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return 0;
  }
  let bytes = stat.blocks * 512;
  if (stat.isDirectory()) {
    let names: string[] = [];
    try {
      names = readdirSync(target);
    } catch {
      // unreadable: counted as its own blocks only
    }
    for (const name of names) bytes += diskBytes(path.join(target, name));
  }
  return bytes;
}

function readLink(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}

/**
 * A hosts folder kept with --keep belongs to its run folder: it goes with
 * it. Only the one createRunFolder made for this run (by its name), never
 * whatever else a link might point at.
 */
function keptHostsFolder(runDir: string, id: string): string | undefined {
  const target = readLink(path.join(runDir, 'hosts'));
  return target && path.isAbsolute(target) && path.basename(target).startsWith(`oauth-state-repro-hosts-${id}-`) ? target : undefined;
}

export interface PrunedRuns {
  removed: string[];
  /** Run folders whose removal failed, with why. */
  failed: { name: string; error: string }[];
  freedBytes: number;
  kept: number;
}

/**
 * Makes room for the run about to start: keeps the newest `keepRuns - 1`
 * run folders under `root`, so that with the new one there are `keepRuns`.
 */
export function pruneRunsRoot(root: string, keepRuns: number, running: (pid: number) => boolean = processAlive): PrunedRuns {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return { removed: [], failed: [], freedBytes: 0, kept: 0 };
  }
  const isRunFolder = (name: string) => {
    try {
      return parseRunFolderId(name) !== undefined && lstatSync(path.join(root, name)).isDirectory();
    } catch {
      return false; // gone meanwhile (another run's retention)
    }
  };
  const runs = names.filter(isRunFolder);
  const latest = readLink(path.join(root, 'latest'));
  const pruned: PrunedRuns = { removed: [], failed: [], freedBytes: 0, kept: 0 };
  for (const name of runFoldersToRemove({ names: runs, keep: keepRuns - 1, ...(latest ? { latest: path.basename(latest) } : {}), running })) {
    const dir = path.join(root, name);
    const hosts = keptHostsFolder(dir, name);
    const bytes = diskBytes(dir) + (hosts ? diskBytes(hosts) : 0);
    try {
      if (hosts) removeFolder(hosts);
      removeFolder(dir);
      pruned.removed.push(name);
      pruned.freedBytes += bytes;
    } catch (error) {
      pruned.failed.push({ name, error: (error as Error).message });
    }
  }
  pruned.kept = runs.length - pruned.removed.length;
  return pruned;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** pruneRunsRoot at the start of a run, saying in one line what it removed (and nothing when it removed nothing). */
export function makeRoomForRun(root: string, keepRuns: number, onProgress: (message: string) => void): PrunedRuns {
  const pruned = pruneRunsRoot(root, keepRuns);
  if (pruned.removed.length > 0 || pruned.failed.length > 0) {
    const failed = pruned.failed.length ? `; ${pruned.failed.length} could not be removed (${pruned.failed[0]!.name}: ${pruned.failed[0]!.error})` : '';
    onProgress(
      `repro: removed ${pruned.removed.length} old run folder${pruned.removed.length === 1 ? '' : 's'} from ${root} (${megabytes(pruned.freedBytes)} freed; --keep-runs ${keepRuns} keeps the newest, this run included)${failed}`,
    );
  }
  return pruned;
}
