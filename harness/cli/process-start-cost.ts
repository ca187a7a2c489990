/**
 * The CPU a target's processes cost before they can serve anything, each
 * started alone (nothing else running), the way a run starts them (a
 * Deployment: the host's private /tmp, the mock client, readiness, MCP
 * initialize). `npm run timing` multiplies it by the processes a scenario
 * table started, which gives the table's floor on this machine: the CPU its
 * processes need before any flow, over the cores there are.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { History } from '../core/history.ts';
import { closeRunFolder, createRunFolder } from '../core/run-folder.ts';
import { processCpuMs } from '../deploy/process/process-cpu.ts';
import { Deployment } from '../deploy/deployment.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';

/** The three kinds of process a scenario table starts: the tool process, the callback process, and one process doing both (single-process). */
export type ProcessKind = 'tool' | 'callback' | 'both';

/**
 * The fields of /proc/<pid>/stat after "pid (comm) ", so that field k of
 * proc(5) is at index k − 3 (state, field 3, at 0). CPU times are in clock
 * ticks of 10 ms on Linux.
 */
export function procStatFields(pid: number | 'self'): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** CPU of one live process (the scheduler's account, deploy/process/process-cpu.ts); a process whose account cannot be read is an error here, not a zero. */
function cpuOf(pid: number): number {
  const ms = processCpuMs(pid);
  if (ms === undefined) throw new Error(`the CPU time of pid ${pid} cannot be read from /proc`);
  return ms;
}

/**
 * Which kind each process of a run was, read from its logs folder: one log
 * per process, named `<label>.tool.log`, `<label>.callback[-N].log`; a tool
 * log of a single-process deployment is a process doing both.
 */
export function countProcessKinds(logFiles: readonly string[]): Record<ProcessKind, number> {
  const counts: Record<ProcessKind, number> = { tool: 0, callback: 0, both: 0 };
  for (const file of logFiles) {
    if (/\.callback(-\d+)?\.log$/.test(file)) counts.callback += 1;
    else if (/\.tool\.log$/.test(file)) counts[/(^|\.)single-process\./.test(file) ? 'both' : 'tool'] += 1;
  }
  return counts;
}

export function countProcessKindsOfRun(runDir: string): Record<ProcessKind, number> {
  return countProcessKinds(readdirSync(path.join(runDir, 'logs')));
}

/**
 * Starts `samples` deployments of each shape, one at a time, and reads each
 * process's CPU once it is ready (before any flow), then stops it. The run
 * folder lives under the system's temporary folder, so runs/latest stays.
 */
export async function measureStartCost(target: TargetDescription, store: string, samples: number): Promise<Record<ProcessKind, number[]>> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-start-cost-'));
  const run = createRunFolder(root);
  const cost: Record<ProcessKind, number[]> = { tool: [], callback: [], both: [] };
  const mock = await MockAtlassian.start(run.logDir);
  try {
    for (let i = 0; i < samples; i++) {
      const single = await Deployment.start({ target, topology: 'single-process', store, label: `start-cost-${i}.single-process`, mock, run, history: new History() });
      cost.both.push(cpuOf(single.toolPid));
      await single.stop();
      const split = await Deployment.start({ target, topology: 'split-process', store, label: `start-cost-${i}.split-process`, mock, run, history: new History() });
      cost.tool.push(cpuOf(split.toolPid));
      cost.callback.push(cpuOf(split.callbackPid));
      await split.stop();
    }
  } finally {
    await mock.stop();
    await stopAllChildren({ graceMs: 300 });
    closeRunFolder(run);
    rmSync(root, { recursive: true, force: true });
  }
  return cost;
}
