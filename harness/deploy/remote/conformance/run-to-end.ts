/**
 * A short command run to its end through the one spawning module: the
 * suite's `list` and `--version`, npm's install. Its lines come back whole
 * (a short command's output fits the splitter's memory); past its deadline
 * it is stopped, and the answer says so instead of hanging the harness.
 */
import { spawnChild, type ChildSpec, type ExitInfo, type RunningChild } from '../../process/child-process.ts';
import type { LineSplitter } from '../../process/line-splitter.ts';

export interface RunToEnd {
  child: RunningChild;
  exit: ExitInfo;
  /** True when the deadline stopped it: its exit is the stop's, not its own. */
  timedOut: boolean;
  stdout: readonly string[];
  stderr: readonly string[];
}

export async function runToEnd(spec: ChildSpec, timeoutMs: number): Promise<RunToEnd> {
  const child = spawnChild(spec);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop({ graceMs: 1000 });
  }, timeoutMs);
  const exit = await child.exited.finally(() => clearTimeout(timer));
  // Its last lines may still be in the pipes when the exit is known: the answer waits for both streams' end, and the log's.
  await Promise.all([ended(child.stdout), ended(child.stderr), child.logClosed]);
  return { child, exit, timedOut, stdout: child.stdout.lines, stderr: child.stderr.lines };
}

function ended(lines: LineSplitter): Promise<void> {
  return new Promise((resolve) => lines.onEnd(resolve));
}
