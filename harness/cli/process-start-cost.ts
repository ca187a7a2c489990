/**
 * The CPU a target's processes cost before they can serve anything, each
 * started alone (nothing else running), the way a run starts them (a
 * Deployment: the host's private /tmp, the mock client, readiness, MCP
 * initialize). `npm run timing` multiplies it by the processes a scenario
 * table started, which gives the table's floor on this machine: the CPU its
 * processes need before any flow, over the cores there are.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { History } from '../core/history.ts';
import { processCpuMs, processesCpuMs } from '../deploy/process/process-cpu.ts';
import { Deployment } from '../deploy/deployment.ts';
import { completeFlow, startFlow } from '../deploy/flow/drive-flow.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { withScratchRun } from './scratch-run.ts';

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
export function cpuOf(pid: number): number {
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

/**
 * CPU of this process's reaped children and their reaped descendants
 * (cutime + cstime of /proc/self/stat, clock ticks of 10 ms): a stopped
 * process's whole life, from exec to exit, once it has been waited for.
 */
export function reapedChildrenCpuMs(): number {
  const fields = procStatFields('self');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export interface StartCost extends Record<ProcessKind, number[]> {
  /**
   * Per process, the CPU it spends after readiness until it has exited when
   * stopped without a flow (background compilation, the shutdown): a whole
   * life's CPU (read once it is reaped) less its CPU at readiness.
   */
  afterReadyMs: number[];
}

/**
 * Starts `samples` deployments of each shape, one at a time, and reads each
 * process's CPU once it is ready (before any flow), then stops it.
 */
export async function measureStartCost(target: TargetDescription, store: string, samples: number): Promise<StartCost> {
  const cost: StartCost = { tool: [], callback: [], both: [], afterReadyMs: [] };
  await withScratchRun('start-cost', async (run, mock) => {
    for (let i = 0; i < samples; i++) {
      let lifeBefore = reapedChildrenCpuMs();
      const single = await Deployment.start({ target, topology: 'single-process', store, label: `start-cost-${i}.single-process`, mock, run, history: new History() });
      const both = cpuOf(single.toolPid);
      cost.both.push(both);
      await single.stop();
      cost.afterReadyMs.push(Math.max(0, reapedChildrenCpuMs() - lifeBefore - both));
      lifeBefore = reapedChildrenCpuMs();
      const split = await Deployment.start({ target, topology: 'split-process', store, label: `start-cost-${i}.split-process`, mock, run, history: new History() });
      const tool = cpuOf(split.toolPid);
      const callback = cpuOf(split.callbackPid);
      cost.tool.push(tool);
      cost.callback.push(callback);
      await split.stop();
      cost.afterReadyMs.push(Math.max(0, (reapedChildrenCpuMs() - lifeBefore - tool - callback) / 2));
    }
  });
  return cost;
}

/** The CPU one whole flow costs every process it touches: the harness (the MCP client and the user agent), the mock provider, and the target's processes. */
export interface FlowCpu {
  harnessMs: number;
  mockMs: number;
  targetMs: number;
}

export interface FlowCost {
  /** The first flow of freshly started processes (code not yet compiled by the JIT, connections not yet open), one sample per deployment. */
  cold: FlowCpu[];
  /** Mean of the flows after it, on the same warm processes. */
  warm: FlowCpu;
  warmFlows: number;
}

export const flowCpuTotal = (cpu: FlowCpu) => cpu.harnessMs + cpu.mockMs + cpu.targetMs;

/**
 * Starts `deployments` split-process deployments one after another and
 * reads the CPU each side spends on the first flow of each (a run whose
 * every cell starts its own processes pays it once per deployment), then,
 * on the last one, on `warmFlows` more flows. Read from this process's own
 * account (process.cpuUsage) and the scheduler's for the mock and the
 * target's processes. Every flow must complete: the cost of a flow that
 * failed early is not the cost of a flow.
 */
export async function measureFlowCost(target: TargetDescription, store: string, deployments: number, warmFlows: number): Promise<FlowCost> {
  const cold: FlowCpu[] = [];
  let warm: FlowCpu | undefined;
  await withScratchRun('flow-cost', async (run, mock) => {
    for (let i = 0; i < deployments; i++) {
      const history = new History();
      const deployment = await Deployment.start({ target, topology: 'split-process', store, label: `flow-cost-${i}.split-process`, mock, run, history });
      try {
        const pids = deployment.processes.map((p) => p.pid);
        const flowsCpu = async (first: number, count: number): Promise<FlowCpu> => {
          const harnessBefore = process.cpuUsage();
          const mockBefore = cpuOf(mock.child.pid);
          const targetBefore = processesCpuMs(pids);
          for (let flow = first; flow < first + count; flow++) {
            const started = await startFlow(deployment.endpoints, target, history, flow);
            if (!started) throw new Error(`flow ${flow} did not start`);
            await completeFlow(deployment.endpoints, target, history, started, deployment.callbackUrl);
          }
          const harness = process.cpuUsage(harnessBefore);
          const targetAfter = processesCpuMs(pids);
          if (targetBefore === undefined || targetAfter === undefined) throw new Error("the target processes' CPU time cannot be read from /proc");
          return { harnessMs: (harness.user + harness.system) / 1000 / count, mockMs: (cpuOf(mock.child.pid) - mockBefore) / count, targetMs: (targetAfter - targetBefore) / count };
        };
        cold.push(await flowsCpu(1, 1));
        if (i === deployments - 1) {
          await flowsCpu(2, 2);
          warm = await flowsCpu(4, warmFlows);
        }
      } finally {
        await deployment.stop();
      }
    }
  });
  return { cold, warm: warm!, warmFlows };
}

/** Whole flows a run started: every `start_oauth` invoked in any history of its folder (cells, measurements, browser rows). */
export function countFlowsOfRun(runDir: string): number {
  let flows = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.jsonl')) {
        for (const line of readFileSync(full, 'utf8').split('\n')) if (line.includes('"f":"start_oauth"') && line.includes('"type":"invoke"')) flows += 1;
      }
    }
  };
  walk(runDir);
  return flows;
}

/** Store driver processes of a run's fault measurement (one log each; strace's own logs are not processes). */
export function countDriversOfRun(runDir: string): number {
  return readdirSync(path.join(runDir, 'logs')).filter((file) => /^faults-.*\.log$/.test(file) && !file.endsWith('-strace.log')).length;
}
