/**
 * A kill that lands inside one write() call, which strace cannot do: its
 * signal injection fires at syscall entry, before a single byte is copied,
 * and Node hands a whole file to the kernel in one write(). A watchdog
 * thread of the driver polls the store's folder and SIGKILLs the process
 * once a file that was seen shrinking (truncated, or newly created) has
 * grown back to a chosen size: the kernel's copy loop checks for a fatal
 * signal page by page, so the write stops part way, as it would on a
 * crash or an OOM kill during a large rewrite. Timing decides the exact
 * byte, so the checker reports the size seen at the kill, not a promise.
 */
import { Worker } from 'node:worker_threads';
import type { KillInsideWrite } from './driver-protocol.ts';

const WATCHDOG_SOURCE = `
const { readdirSync, statSync, writeSync } = require('node:fs');
const path = require('node:path');
const { workerData, parentPort } = require('node:worker_threads');
const { folder, atBytes, armed } = workerData;
const flag = new Int32Array(armed);
parentPort.postMessage('waiting');
Atomics.wait(flag, 0, 0);
const seenBelow = new Set();
for (;;) {
  let names = [];
  try { names = readdirSync(folder); } catch { continue; }
  for (const name of names) {
    const file = path.join(folder, name);
    let size;
    try { size = statSync(file).size; } catch { continue; }
    if (size < atBytes) { seenBelow.add(file); continue; }
    if (seenBelow.has(file)) {
      const line = JSON.stringify({ type: 'nemesis', f: 'kill-inside-write', file, sizeAtKill: size, time: Date.now() });
      writeSync(1, line + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
`;

export interface ArmedWatchdog {
  /** Starts watching; call just before the operation whose write is to be cut. */
  arm(): void;
}

export async function startKillInsideWrite(options: KillInsideWrite): Promise<ArmedWatchdog> {
  const armed = new SharedArrayBuffer(4);
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { folder: options.folder, atBytes: options.atBytes, armed },
  });
  // The watchdog must never keep the driver alive once its script is done.
  worker.unref();
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const flag = new Int32Array(armed);
  return {
    arm() {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    },
  };
}
