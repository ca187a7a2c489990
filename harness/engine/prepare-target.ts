/**
 * Before a battery: the target's build step, if it has one, then one
 * deployment started and stopped (a preflight), so that a command that exits
 * at once or never announces readiness is one clear line, not a table of
 * identical errors.
 */
import { History } from '../core/history.ts';
import type { RunFolder } from '../core/run-folder.ts';
import { Deployment } from '../deploy/deployment.ts';
import { spawnChild } from '../deploy/process/child-process.ts';
import type { MockAtlassian } from '../deploy/services/mock-atlassian.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { isHarnessError } from '../core/harness-error.ts';
import { START_RETRY } from '../core/retry.ts';

export class TargetStartError extends Error {
  readonly code = 'target_start_failed';
  override name = 'TargetStartError';
}

/**
 * A start failure's first line says what went wrong (explainStartFailure puts
 * the process's own error there); the rest is its log tail, which the logs
 * hold. The message stays one line for the terminal; the whole error stays
 * as the cause.
 */
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

export async function buildTarget(target: TargetDescription, run: RunFolder): Promise<void> {
  if (!target.build) return;
  const child = spawnChild({
    name: 'target-build',
    command: target.build.command === 'node' ? process.execPath : target.build.command,
    args: target.build.args ?? [],
    cwd: target.cwd,
    env: { ...(target.build.env ?? {}) },
    logDir: run.logDir,
  });
  const exit = await child.exited;
  if (exit.code !== 0) throw new TargetStartError(`${target.name}: build step "${target.build.command}" exited with code ${exit.code} (log: ${child.logPath})`);
}

/** Starts the target's processes once in each shape a battery uses (one process; two processes), both shapes at once, and stops them. */
export async function preflight(target: TargetDescription, store: string, mock: MockAtlassian, run: RunFolder): Promise<void> {
  const shapes = ['single-process', 'split-process'] as const;
  const outcomes = await Promise.allSettled(
    shapes.map(async (topology) => {
      let deployment: Deployment | undefined;
      try {
        deployment = await Deployment.start({ target, topology, store, label: `preflight.${topology}`, mock, run, history: new History() });
      } catch (error) {
        // Every attempt failed (Deployment.start retries): the last attempt's own words say why, the count says it was not a fluke.
        const last = isHarnessError(error) && error.cause !== undefined ? error.cause : error;
        const attempts = last === error ? '' : ` (${START_RETRY.attempts} attempts)`;
        throw new TargetStartError(`${target.name}: its ${topology === 'single-process' ? 'single process (both)' : 'tool and callback processes'} could not be started${attempts}: ${firstLine(last)} (logs in ${run.logDir})`, { cause: error });
      } finally {
        await deployment?.stop().catch(() => undefined);
      }
    }),
  );
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
