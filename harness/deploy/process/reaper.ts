/**
 * Starts the orphan reaper (orphan-reaper.mjs) once per harness process and
 * tells it about every child process group and every temporary folder the
 * run claims, so that no child outlives the harness and no folder stays
 * behind in /tmp, even when the harness is killed with SIGKILL and runs no
 * cleanup.
 *
 * A message that reaches the reaper before its listener is installed is
 * lost (an ES module's listeners come after its imports load), so nothing
 * is sent until the reaper says {ready: true}; then it gets everything
 * registered so far, and each change after that.
 */
import { execa } from 'execa';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { watchTemporaryFolders } from '../../core/temporary-folders.ts';

const REAPER_SCRIPT = fileURLToPath(new URL('./orphan-reaper.mjs', import.meta.url));

let reaper: ChildProcess | undefined;
let ready: Promise<number | undefined> | undefined;
let listening = false;
const groups = new Set<number>();
const dirs = new Set<string>();

type ReaperMessage = { add: number } | { remove: number } | { addDir: string } | { removeDir: string };

function post(running: ChildProcess, message: ReaperMessage): void {
  if (!running.connected) return;
  running.send(message, (error) => {
    if (error) return; // the reaper is gone; the in-process cleanup still runs
  });
  running.channel?.unref();
}

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
    ready = new Promise((resolve) => {
      const onMessage = (message: unknown) => {
        if ((message as { ready?: unknown } | null)?.ready !== true) return;
        started.off('message', onMessage);
        listening = true;
        for (const pid of groups) post(started, { add: pid });
        for (const dir of dirs) post(started, { addDir: dir });
        resolve(started.pid);
      };
      started.on('message', onMessage);
      started.channel?.unref();
      void started.then(() => resolve(undefined));
    });
    return started;
  } catch {
    reaper = undefined;
    ready = Promise.resolve(undefined);
    return undefined;
  }
}

function send(message: ReaperMessage): void {
  if ('add' in message) groups.add(message.add);
  else if ('remove' in message) groups.delete(message.remove);
  else if ('addDir' in message) dirs.add(message.addDir);
  else dirs.delete(message.removeDir);
  const running = ensureReaper();
  if (running && listening) post(running, message);
}

export function registerWithReaper(pid: number): void {
  send({ add: pid });
}

export function unregisterFromReaper(pid: number): void {
  send({ remove: pid });
}

// Loaded with the spawning module, so before any run starts a process; folders claimed earlier are told first.
watchTemporaryFolders({
  claimed: (dir) => send({ addDir: dir }),
  released: (dir) => send({ removeDir: dir }),
});

export function reaperPid(): number | undefined {
  return reaper?.pid;
}

/**
 * Resolves with the reaper's pid once it has everything registered so far
 * (undefined if it could not start): from then on, killing this process
 * leaves nothing behind. Starts the reaper if nothing has yet.
 */
export function reaperReady(): Promise<number | undefined> {
  ensureReaper();
  return ready ?? Promise.resolve(undefined);
}
