/**
 * Each run keeps its own folder (runs/<timestamp>/): every process's log,
 * the history, the results document. `runs/latest` points at the newest, so
 * a failed run can be read afterwards.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimTemporaryFolder, releaseTemporaryFolder, removeTemporaryFolder } from './temporary-folders.ts';
import { FROM_PACKAGE } from './package-layout.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where run folders go: runs/ in the project, or OAUTH_REPRO_RUNS_DIR (a
 * read-only checkout, a CI cache folder, a disk with room; --out sets it).
 * The installed package never writes inside node_modules: its runs go to
 * ./oauth-state-repro/ in the user's project.
 */
export function runsRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const moved = env.OAUTH_REPRO_RUNS_DIR?.trim();
  if (moved) return path.resolve(moved);
  return FROM_PACKAGE ? path.resolve(PACKAGE_OUTPUT_FOLDER) : path.join(PROJECT_ROOT, 'runs');
}

/** The installed package's output folder, relative to the working directory (the user's project). */
export const PACKAGE_OUTPUT_FOLDER = 'oauth-state-repro';

/**
 * Where the harness keeps what it compiles once and reuses (targets'
 * entry points): node_modules/.cache by convention, or beside the runs
 * when OAUTH_REPRO_RUNS_DIR moves them, so one variable moves every write.
 */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.OAUTH_REPRO_RUNS_DIR?.trim() || FROM_PACKAGE ? path.join(runsRoot(env), '.cache') : path.join(PROJECT_ROOT, 'node_modules', '.cache', 'oauth-state-repro');
}

export interface RunFolder {
  id: string;
  dir: string;
  logDir: string;
  /**
   * Where each simulated host gets its own /tmp and HOME. It lives under the
   * real os.tmpdir(), reachable by every local user as /tmp is, so that what
   * another user could read there does not depend on where the project was
   * cloned; `runs/<id>/hosts` links to it. It is removed when the run ends
   * (closeRunFolder), or by the orphan reaper if the harness is killed,
   * unless the run keeps it (--keep).
   */
  hostsDir: string;
  /** Servers the run started for the target's stores (redis), read by every deployment. */
  services: RunServices;
  /** --keep: the hosts folder and the fault fixtures stay after the run, for reading. */
  keep?: boolean;
}

export interface RunServices {
  redisUrl?: string;
}

/** A run folder's name: its start (an ISO time with ':' and '.' made '-'), the harness's pid, and a label if any. */
export function runFolderId(started: Date, pid: number, label = ''): string {
  return `${started.toISOString().replace(/[:.]/g, '-')}-${pid}${label ? `-${label}` : ''}`;
}

const RUN_FOLDER_ID = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(\d+)(?:-(.+))?$/;

/** The parts of a name runFolderId made; undefined for any other name (latest, .cache, a folder of the user's). */
export function parseRunFolderId(name: string): { stamp: string; pid: number; label: string } | undefined {
  const match = RUN_FOLDER_ID.exec(name);
  return match ? { stamp: match[1]!, pid: Number(match[2]), label: match[3] ?? '' } : undefined;
}

export function createRunFolder(root = runsRoot(), label = '', options: { keep?: boolean } = {}): RunFolder {
  const id = runFolderId(new Date(), process.pid, label);
  const dir = path.join(root, id);
  const hostsDir = mkdtempSync(path.join(os.tmpdir(), `oauth-state-repro-hosts-${id}-`));
  // Claimed at once: if the harness is killed from here on, the orphan reaper removes it.
  if (!options.keep) claimTemporaryFolder(hostsDir);
  chmodSync(hostsDir, 0o755);
  const folder: RunFolder = { id, dir, logDir: path.join(dir, 'logs'), hostsDir, services: {}, ...(options.keep ? { keep: true } : {}) };
  mkdirSync(folder.logDir, { recursive: true });
  symlinkSync(hostsDir, path.join(dir, 'hosts'));
  const latest = path.join(root, 'latest');
  try {
    rmSync(latest, { force: true });
    symlinkSync(id, latest);
  } catch {
    // Two runs racing for `latest` is harmless: one of them wins.
  }
  return folder;
}

export type RunFolderClosed = { hostsDir: 'kept' | 'removed' } | { hostsDir: 'not removed'; error: Error };

/**
 * The end of a run, once every child has stopped: its hosts folder (and the
 * run's link to it) is removed, or with --keep both stay. A folder that
 * cannot be removed stays claimed, so the orphan reaper tries again when
 * the harness exits.
 */
export function closeRunFolder(run: RunFolder, options: { keep?: boolean } = {}): RunFolderClosed {
  if (options.keep ?? run.keep) {
    releaseTemporaryFolder(run.hostsDir);
    return { hostsDir: 'kept' };
  }
  try {
    removeTemporaryFolder(run.hostsDir);
  } catch (error) {
    return { hostsDir: 'not removed', error: error as Error };
  }
  rmSync(path.join(run.dir, 'hosts'), { force: true });
  return { hostsDir: 'removed' };
}

/** A simulated host's /tmp has the real one's mode: world-writable, sticky. */
export const SHARED_TMP_MODE = 0o1777;
