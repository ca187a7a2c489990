import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { processCpuMs, processesCpuMs } from './process-cpu.ts';

/** A child that burns 200 ms of CPU by its own getrusage account, says so, then sleeps until killed. */
const BURN_THEN_SLEEP = `
const start = process.cpuUsage();
for (;;) { const d = process.cpuUsage(start); if (d.user + d.system >= 200_000) break; }
console.log('burnt');
setInterval(() => {}, 60_000);
`;

describe('processCpuMs', () => {
  it('reads the CPU a process burnt, and no more while it sleeps', async () => {
    const child = execa(process.execPath, ['-e', BURN_THEN_SLEEP], { buffer: false });
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      const burnt = processCpuMs(child.pid!)!;
      // Node's start-up comes on top of the 200 ms burnt; on a busy machine it costs more CPU, never less.
      expect(burnt).toBeGreaterThanOrEqual(190);
      // Asleep: its own account hardly moves, however busy the rest of the machine is.
      const slept = await new Promise<number>((resolve) => setTimeout(() => resolve(processCpuMs(child.pid!)! - burnt), 300));
      expect(slept).toBeLessThan(50);
    } finally {
      child.kill('SIGKILL');
      await child.catch(() => undefined);
    }
  });

  it('is undefined for a process that is gone', async () => {
    const child = execa(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await child;
    expect(processCpuMs(pid)).toBeUndefined();
    expect(processesCpuMs([process.pid, pid])).toBeUndefined();
  });
});
