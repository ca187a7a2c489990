/**
 * What durable writes cost a store's flows, measured, so that a store short
 * of the throughput target can be told apart from one held back by the disk:
 * how many fsync/fdatasync calls one whole flow makes in the target's
 * processes and how long they took, wall clock (strace attached to them,
 * summarising with `-c -w`). A store whose durable writes follow one another
 * (one file, one lock) cannot complete more flows per second than one over
 * their time per flow, whatever the code around them does. Store-agnostic:
 * it counts the syscalls, it does not read the store's code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { History } from '../../core/history.ts';
import { Deployment } from '../../deploy/deployment.ts';
import { completeFlow, startFlow } from '../../deploy/flow/drive-flow.ts';
import { spawnChild } from '../../deploy/process/child-process.ts';
import type { MeasureContext } from '../measure-context.ts';
import { STRACE_PATH } from '../store-faults/strace-injection.ts';

export interface DurableWrites {
  store: string;
  /** fsync + fdatasync calls per whole flow, in every process of the deployment. */
  syncsPerFlow: number;
  /** Their wall time per whole flow (ms). */
  syncMsPerFlow: number;
  flows: number;
  /** 1000 / syncMsPerFlow: flows per second if those writes follow one another; undefined without syncs. */
  boundFlowsPerSecond?: number;
}

/** Sync calls and their seconds in strace's `-c` summary (the fsync and fdatasync rows; with `-w`, wall seconds). Pure. */
export function syncsOfSummary(summary: string): { calls: number; seconds: number } {
  let calls = 0;
  let seconds = 0;
  for (const line of summary.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields.at(-1);
    if (name !== 'fsync' && name !== 'fdatasync') continue;
    // "% time, seconds, usecs/call, calls[, errors], syscall".
    const count = Number(fields[3]);
    const spent = Number(fields[1]);
    if (!Number.isInteger(count) || !Number.isFinite(spent)) throw new Error(`strace summary: cannot read the calls and seconds of "${line.trim()}"`);
    calls += count;
    seconds += spent;
  }
  return { calls, seconds };
}

/** The bound that durable writes alone put on a store's flows per second, if they follow one another. Pure. */
export function durableWriteBound(syncMsPerFlow: number): number | undefined {
  return syncMsPerFlow > 0 ? 1000 / syncMsPerFlow : undefined;
}

/**
 * For each store: a split-process deployment, strace counting its
 * processes' sync calls and timing them over `flows` whole flows one after
 * another. A store whose deployment fails is left out with its error.
 */
export async function measureDurableWrites(ctx: MeasureContext, stores: readonly string[], flows = 20): Promise<{ results: DurableWrites[]; errors: string[] }> {
  const results: DurableWrites[] = [];
  const errors: string[] = [];
  for (const store of stores) {
    const history = new History();
    let deployment: Deployment | undefined;
    try {
      deployment = await Deployment.start({ target: ctx.target, topology: 'split-process', store, label: `durable-writes.${store}`, mock: ctx.mock, run: ctx.run, history });
      // A warm-up flow first: module loading and first connections are no flow's work.
      const warm = await startFlow(deployment.endpoints, ctx.target, history, 1);
      if (warm) await completeFlow(deployment.endpoints, ctx.target, history, warm, deployment.callbackUrl);
      const summaryFile = path.join(ctx.run.logDir, `durable-writes.${store}.strace-summary.txt`);
      const pids = deployment.processes.map((p) => p.pid);
      // -f with -p attaches every thread of each process: libuv's pool threads are where fsync runs.
      const strace = spawnChild({
        name: `durable-writes.${store}.strace`,
        command: STRACE_PATH,
        args: ['-c', '-w', '-f', '-e', 'trace=fsync,fdatasync', '-o', summaryFile, ...pids.flatMap((pid) => ['-p', String(pid)])],
        env: {},
        logDir: ctx.run.logDir,
      });
      for (const pid of pids) await strace.waitForLine('stderr', (line) => (line.includes(`Process ${pid} attached`) ? true : undefined), `strace attached to ${pid}`, 10_000);
      for (let flow = 2; flow < 2 + flows; flow++) {
        const started = await startFlow(deployment.endpoints, ctx.target, history, flow);
        if (!started) throw new Error(`flow ${flow} did not start`);
        await completeFlow(deployment.endpoints, ctx.target, history, started, deployment.callbackUrl);
      }
      // strace detaches on SIGTERM and writes its summary (closing its stdin, the usual first step of a stop, it ignores).
      process.kill(strace.pid, 'SIGTERM');
      const ended = await Promise.race([strace.exited, new Promise<undefined>((resolve) => setTimeout(resolve, 5_000, undefined))]);
      if (!ended) {
        await strace.stop({ graceMs: 500 });
        throw new Error('strace did not detach within 5 s of SIGTERM');
      }
      const syncs = syncsOfSummary(readFileSync(summaryFile, 'utf8'));
      const syncMsPerFlow = (syncs.seconds * 1000) / flows;
      const bound = durableWriteBound(syncMsPerFlow);
      results.push({ store, syncsPerFlow: syncs.calls / flows, syncMsPerFlow, flows, ...(bound === undefined ? {} : { boundFlowsPerSecond: bound }) });
      ctx.onProgress?.(`durable writes: ${store}: ${(syncs.calls / flows).toFixed(1)} syncs per flow, ${syncMsPerFlow.toFixed(2)} ms${bound ? ` → ≤ ${bound.toFixed(0)} flows/s` : ''}`);
    } catch (error) {
      errors.push(`${store}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    } finally {
      await deployment?.stop().catch(() => undefined);
    }
  }
  return { results, errors };
}
