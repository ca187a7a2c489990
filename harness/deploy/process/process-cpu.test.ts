import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { processCpuMs, processesCpuMs } from './process-cpu.ts';

describe('processCpuMs', () => {
  it('grows by about the CPU a process burns, and not while it waits', async () => {
    const before = processCpuMs(process.pid);
    expect(before).toBeTypeOf('number');
    // Burn 50 ms of CPU by the kernel's other account (getrusage), however long that takes on a busy machine, then wait without burning.
    const start = process.cpuUsage();
    let used = 0;
    while (used < 50_000) {
      const delta = process.cpuUsage(start);
      used = delta.user + delta.system;
    }
    const burnt = processCpuMs(process.pid)! - before!;
    expect(burnt).toBeGreaterThanOrEqual(45);
    expect(burnt).toBeLessThan(50 + 200);
    const idleFrom = processCpuMs(process.pid)!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processCpuMs(process.pid)! - idleFrom).toBeLessThan(burnt);
  });

  it('is undefined for a process that is gone', async () => {
    const child = execa(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await child;
    expect(processCpuMs(pid)).toBeUndefined();
    expect(processesCpuMs([process.pid, pid])).toBeUndefined();
  });
});
