/**
 * Which held write is a session write. A forced race means something only
 * when the process was held at the write that stores the sessions: the
 * file the tool process wrote when it stored the flow's state, as the
 * write gate's journal saw it. A process held anywhere else (a log, a
 * cache, a file of the target's that is not its store) is let go at once
 * and the wait goes on; a race that never held at a session write gives no
 * verdict.
 */
import type { ProcessRecord } from '../../core/cell-result.ts';
import type { GatedWrite } from './race-outcome.ts';
import type { Pause, PauseWait, WriteGate } from './write-gate.ts';

const POLL_MS = 3;

/** A mark in a process's journal, to read what it wrote after it. */
export const journalMark = (gate: WriteGate, pid: number) => gate.writes(pid).length;

/** The files pid wrote (through the gate's wrappers) since the mark, in order, each once. */
export function filesWrittenSince(gate: WriteGate, pid: number, mark: number): string[] {
  return [...new Set(gate.writes(pid, mark).map((w) => w.path))];
}

/** A held write with the process it held: pid and role, as the deployment knows them. */
export function describeHeld(gate: WriteGate, pause: Pause, processes: readonly ProcessRecord[]): GatedWrite {
  const role = processes.find((p) => p.pid === pause.pid)?.role;
  return { ...gate.describe(pause), ...(role ? { role } : {}) };
}

/** "callback#123 at writeFileSync /tmp/x.json": the process held and where. */
export function heldWords(write: GatedWrite): string {
  return `${write.role ?? 'process'}#${write.pid} at ${write.call ?? 'a write'} ${write.path ?? '(path unknown)'}`;
}

export const isSessionWrite = (write: GatedWrite, sessionFiles: readonly string[]) => write.path !== undefined && sessionFiles.includes(write.path);

/**
 * Waits until pid is held at a session write, or `settled()` says its
 * request is over, or the deadline passes. Every other write it is held at
 * on the way is released at once and handed to `passed`.
 */
export async function waitForSessionWrite(
  gate: WriteGate,
  pid: number,
  sessionFiles: readonly string[],
  processes: readonly ProcessRecord[],
  options: { deadlineMs: number; settled?: () => boolean; passed: (write: GatedWrite) => void },
): Promise<PauseWait> {
  const deadline = performance.now() + options.deadlineMs;
  for (;;) {
    for (const pause of gate.held(pid)) {
      const write = describeHeld(gate, pause, processes);
      if (isSessionWrite(write, sessionFiles)) return { paused: pause };
      options.passed(write);
      gate.release(pause);
    }
    if (options.settled?.()) return { why: 'settled' };
    if (performance.now() > deadline) return { why: 'deadline' };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
