/**
 * A bounded CPU burner: one busy process per core, at normal priority, so
 * the harness can be tried the way a shared machine treats it (every core
 * wanted by someone else). Each burner ends on its own at its deadline, when
 * its stdin closes, or with the harness (spawned through spawnChild, so the
 * reaper covers a crash). stop() says how much CPU the burners actually got,
 * so a run can show that the cores were busy, not just that burners existed.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { processesCpuMs } from './process-cpu.ts';
import { spawnChild, type RunningChild } from './child-process.ts';

/** Busy for 50 ms at a time, looking up between slices so that a closed stdin or the deadline ends it. */
const BURN = [
  'const end = Date.now() + Number(process.argv[1]);',
  "process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();",
  'const spin = () => { const slice = Date.now() + 50; while (Date.now() < slice); if (Date.now() < end) setImmediate(spin); else process.exit(0); };',
  "process.stdout.write('burning\\n');",
  'spin();',
].join('\n');

/**
 * Where, when set, every burner appends the CPU it got (one JSON line per
 * stop). `npm run timing` sets it around `npm test`: the burners take
 * whatever CPU is free for as long as their test runs, so their CPU is load
 * put on the gate on purpose, not work the gate must do, and timing leaves
 * it out of the gate's floor.
 */
export const BURNER_LEDGER_VARIABLE = 'OAUTH_REPRO_BURNER_LEDGER';

/** The CPU (ms) every burner that wrote to the ledger got; 0 for a ledger no burner wrote to. */
export function burnerLedgerCpuMs(ledger: string): number {
  if (!existsSync(ledger)) return 0;
  let sum = 0;
  for (const line of readFileSync(ledger, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { cpuMs?: unknown };
    if (typeof entry.cpuMs !== 'number' || !Number.isFinite(entry.cpuMs) || entry.cpuMs < 0) throw new Error(`${ledger}: not a burner's record: ${line}`);
    sum += entry.cpuMs;
  }
  return sum;
}

export interface CpuBurner {
  pids: number[];
  /** Stops every burner; the CPU they got and the wall time they ran. */
  stop(): Promise<{ cpuMs: number; wallMs: number; workers: number }>;
}

export async function startCpuBurner(options: { logDir: string; maxMs: number; workers?: number }): Promise<CpuBurner> {
  const workers = options.workers ?? os.availableParallelism();
  const started = performance.now();
  const children: RunningChild[] = [];
  for (let i = 1; i <= workers; i++) {
    children.push(spawnChild({ name: `cpu-burner-${i}`, command: process.execPath, args: ['-e', BURN, String(options.maxMs)], env: {}, logDir: options.logDir }));
  }
  await Promise.all(children.map((child) => child.waitForLine('stdout', (line) => (line === 'burning' ? true : undefined), 'burning', 30_000)));
  const pids = children.map((child) => child.pid);
  return {
    pids,
    async stop() {
      const cpuMs = processesCpuMs(pids.filter((pid) => children.find((c) => c.pid === pid)?.isRunning)) ?? 0;
      const wallMs = performance.now() - started;
      await Promise.all(children.map((child) => child.stop({ graceMs: 1000 })));
      const burnt = { cpuMs: Math.round(cpuMs), wallMs: Math.round(wallMs), workers };
      const ledger = process.env[BURNER_LEDGER_VARIABLE];
      if (ledger) appendFileSync(ledger, `${JSON.stringify(burnt)}\n`);
      return burnt;
    },
  };
}
