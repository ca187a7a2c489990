/**
 * Each run keeps its own folder (runs/<timestamp>/): every process's log,
 * the history, the results document. `runs/latest` points at the newest, so
 * a failed run can be read afterwards.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunFolder {
  id: string;
  dir: string;
  logDir: string;
  /** Where each simulated host gets its own /tmp and HOME. */
  hostsDir: string;
}

export function createRunFolder(root = path.join(PROJECT_ROOT, 'runs'), label = ''): RunFolder {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const id = `${stamp}-${process.pid}${label ? `-${label}` : ''}`;
  const dir = path.join(root, id);
  const folder = { id, dir, logDir: path.join(dir, 'logs'), hostsDir: path.join(dir, 'hosts') };
  mkdirSync(folder.logDir, { recursive: true });
  mkdirSync(folder.hostsDir, { recursive: true });
  const latest = path.join(root, 'latest');
  try {
    rmSync(latest, { force: true });
    symlinkSync(id, latest);
  } catch {
    // Two runs racing for `latest` is harmless: one of them wins.
  }
  return folder;
}
