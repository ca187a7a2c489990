/**
 * CPU time a process has spent on a CPU, in ms, from the scheduler's own
 * account (/proc/<pid>/task/<tid>/schedstat, first field: ns on a CPU, per
 * thread). Unlike wall time it does not grow while the process waits for a
 * CPU that other work holds, so a cost measured with it reads the same on a
 * quiet and on a busy machine. Undefined where the kernel does not keep it
 * (no /proc, schedstats off) or the process is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function processCpuMs(pid: number): number | undefined {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0n;
  let read = 0;
  for (const tid of threads) {
    try {
      const first = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0];
      if (first && /^\d+$/.test(first)) {
        ns += BigInt(first);
        read += 1;
      }
    } catch {
      // A thread that ended between the listing and the read: its time is no longer counted anywhere.
    }
  }
  return read === 0 ? undefined : Number(ns / 1000n) / 1000;
}

/** CPU ms of several processes together; undefined if any cannot be read. */
export function processesCpuMs(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}
