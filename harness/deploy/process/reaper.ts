/**
 * Starts the orphan reaper (orphan-reaper.mjs) once per harness process and
 * tells it about every child process group, so that no child outlives the
 * harness even when the harness is killed with SIGKILL and runs no cleanup.
 */
import { execa } from 'execa';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REAPER_SCRIPT = fileURLToPath(new URL('./orphan-reaper.mjs', import.meta.url));

let reaper: ChildProcess | undefined;

function ensureReaper(): ChildProcess | undefined {
  if (reaper) return reaper;
  try {
    const started = execa(process.execPath, [REAPER_SCRIPT], {
      ipc: true,
      serialization: 'json',
      detached: true,
      cleanup: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
      reject: false,
    });
    started.catch(() => undefined);
    // The reaper must not keep the harness alive: it only matters once the
    // harness is gone.
    started.unref();
    started.channel?.unref();
    reaper = started;
    return started;
  } catch {
    reaper = undefined;
    return undefined;
  }
}

function send(message: { add: number } | { remove: number }): void {
  const running = ensureReaper();
  if (!running?.connected) return;
  running.send(message, (error) => {
    if (error) return; // the reaper is gone; the in-process cleanup still runs
  });
  running.channel?.unref();
}

export function registerWithReaper(pid: number): void {
  send({ add: pid });
}

export function unregisterFromReaper(pid: number): void {
  send({ remove: pid });
}

export function reaperPid(): number | undefined {
  return reaper?.pid;
}
