/**
 * The harness's side of harness/preload/write-gate.mjs: arm a process, see
 * it stop just before a matching write, let it go. Every wait is a polled
 * condition with a deadline, and a wait can also end because something else
 * settled first (the request that should have paused already answered), so a
 * store that never writes a file is told apart from a hang without luck.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeOptionsImporting, WRITE_GATE_PRELOAD } from '../../deploy/preload/preloads.ts';

export interface Pause {
  pid: number;
  n: number;
}

export type PauseWait = { paused: Pause } | { paused?: undefined; why: 'settled' | 'deadline' };

const POLL_MS = 3;

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Everything written under a host's /tmp. What of it is the harness's own
 * (tsx's cache, folders bound in from the real file system) is excluded by
 * path, not by this pattern: see harness-writes.ts.
 */
export function storeFilesUnder(folder: string): string {
  return `^${escapeRegExp(path.resolve(folder))}/`;
}

/** One write the preload would gate (armed or not), from its journal. */
export interface JournalledWrite {
  call: string;
  path: string;
  at: number;
}

export class WriteGate {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** `exclude`: absolute paths (a file, or a folder and all under it) never held nor journalled, whatever the pattern says. */
  env(pattern: string, timeoutMs = 30_000, exclude: readonly string[] = []): Record<string, string> {
    return {
      NODE_OPTIONS: nodeOptionsImporting([WRITE_GATE_PRELOAD]),
      WRITE_GATE_DIR: this.dir,
      WRITE_GATE_PATTERN: pattern,
      WRITE_GATE_TIMEOUT_MS: String(timeoutMs),
      WRITE_GATE_EXCLUDE: JSON.stringify(exclude),
    };
  }

  /**
   * Every gated-path write pid has made so far, armed or not, in order; from
   * `since` (a count returned by an earlier call's length) on.
   */
  writes(pid: number, since = 0): JournalledWrite[] {
    let text: string;
    try {
      text = readFileSync(path.join(this.dir, `wrote-${pid}.jsonl`), 'utf8');
    } catch {
      return [];
    }
    // A line still being appended has no newline yet: only whole lines count.
    const lines = text.split('\n').slice(0, -1);
    return lines.slice(since).flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { what?: string; path?: string; at?: number };
        return entry.path ? [{ call: entry.what ?? '?', path: entry.path, at: entry.at ?? 0 }] : [];
      } catch {
        return [];
      }
    });
  }

  arm(pid: number): void {
    writeFileSync(path.join(this.dir, `arm-${pid}`), '');
  }

  disarm(pid: number): void {
    rmSync(path.join(this.dir, `arm-${pid}`), { force: true });
  }

  /** Pauses of pid so far, in order, released or not. */
  pauses(pid: number): Pause[] {
    // Exactly paused-<pid>-<n>: any other file that shares the prefix is not a pause.
    const marker = new RegExp(`^paused-${pid}-(\\d+)$`);
    return readdirSync(this.dir)
      .flatMap((name) => {
        const match = marker.exec(name);
        return match ? [{ pid, n: Number(match[1]) }] : [];
      })
      .sort((a, b) => a.n - b.n);
  }

  isReleased(pause: Pause): boolean {
    return existsSync(path.join(this.dir, `release-${pause.pid}-${pause.n}`));
  }

  /** Pauses of pid still waiting for their release. */
  held(pid: number): Pause[] {
    return this.pauses(pid).filter((pause) => !this.isReleased(pause));
  }

  /** What the held process was about to do, as its preload wrote it in the marker. */
  describe(pause: Pause): { pid: number; n: number; call?: string; path?: string } {
    try {
      const marker = JSON.parse(readFileSync(path.join(this.dir, `paused-${pause.pid}-${pause.n}`), 'utf8')) as { what?: string; path?: string };
      return { ...pause, call: marker.what, path: marker.path };
    } catch {
      return { ...pause };
    }
  }

  release(pause: Pause): void {
    writeFileSync(path.join(this.dir, `release-${pause.pid}-${pause.n}`), '');
  }

  /** Disarms pid and releases whatever of it is held: the way out of any race, on success or failure. */
  letGo(pid: number): void {
    this.disarm(pid);
    for (const pause of this.held(pid)) this.release(pause);
  }

  /**
   * Waits until pid holds a pause, or `settled()` says the operation that
   * should have paused is over, or the deadline passes.
   */
  async waitForPause(pid: number, options: { deadlineMs: number; settled?: () => boolean }): Promise<PauseWait> {
    const deadline = performance.now() + options.deadlineMs;
    for (;;) {
      const [held] = this.held(pid);
      if (held) return { paused: held };
      if (options.settled?.()) return { why: 'settled' };
      if (performance.now() > deadline) return { why: 'deadline' };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
