/**
 * Each run keeps its own folder (runs/<timestamp>/): every process's log,
 * the history, the results document. `runs/latest` points at the newest, so
 * a failed run can be read afterwards.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where run folders go: runs/ in the project, or OAUTH_REPRO_RUNS_DIR (a
 * read-only checkout, a CI cache folder, a disk with room).
 */
export function runsRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const moved = env.OAUTH_REPRO_RUNS_DIR?.trim();
  return moved ? path.resolve(moved) : path.join(PROJECT_ROOT, 'runs');
}

/**
 * Where the harness keeps what it compiles once and reuses (targets'
 * entry points): node_modules/.cache by convention, or beside the runs
 * when OAUTH_REPRO_RUNS_DIR moves them, so one variable moves every write.
 */
export function cacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.OAUTH_REPRO_RUNS_DIR?.trim() ? path.join(runsRoot(env), '.cache') : path.join(PROJECT_ROOT, 'node_modules', '.cache', 'oauth-state-repro');
}

export interface RunFolder {
  id: string;
  dir: string;
  logDir: string;
  /**
   * Where each simulated host gets its own /tmp and HOME. It lives under the
   * real os.tmpdir(), reachable by every local user as /tmp is, so that what
   * another user could read there does not depend on where the project was
   * cloned; `runs/<id>/hosts` links to it.
   */
  hostsDir: string;
  /** Servers the run started for the target's stores (redis), read by every deployment. */
  services: RunServices;
}

export interface RunServices {
  redisUrl?: string;
}

export function createRunFolder(root = runsRoot(), label = ''): RunFolder {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const id = `${stamp}-${process.pid}${label ? `-${label}` : ''}`;
  const dir = path.join(root, id);
  const hostsDir = mkdtempSync(path.join(os.tmpdir(), `oauth-state-repro-hosts-${id}-`));
  chmodSync(hostsDir, 0o755);
  const folder: RunFolder = { id, dir, logDir: path.join(dir, 'logs'), hostsDir, services: {} };
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

/** A simulated host's /tmp has the real one's mode: world-writable, sticky. */
export const SHARED_TMP_MODE = 0o1777;
