/** Where a benchmark ran: the figures mean little without it (a shared 2-core machine is noisy). */
import os from 'node:os';

export interface BenchEnvironment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** 1-minute load average when the measurement started and ended: other work on the machine shows here. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export function benchEnvironment(): BenchEnvironment {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverageAtStart: Number((os.loadavg()[0] ?? 0).toFixed(2)),
  };
}

export function finishEnvironment(env: BenchEnvironment): BenchEnvironment {
  return { ...env, loadAverageAtEnd: Number((os.loadavg()[0] ?? 0).toFixed(2)) };
}
