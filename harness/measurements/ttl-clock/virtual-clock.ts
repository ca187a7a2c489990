/**
 * The harness's side of the virtual clock: one JSON file per run (or per
 * deployment) that every process loaded with harness/preload/virtual-clock.mjs
 * reads. Advancing the clock is writing the file; the processes see the new
 * time at their next Date.now(), so nothing has to wait for them.
 */
import type { History } from '../../core/history.ts';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeOptionsImporting, VIRTUAL_CLOCK_PRELOAD } from '../../deploy/preload/preloads.ts';

export interface ClockFileContent {
  offsetMs: number;
  skewMsByPid: Record<string, number>;
}

export const MINUTE_MS = 60_000;

export class VirtualClock {
  private content: ClockFileContent = { offsetMs: 0, skewMsByPid: {} };
  private writes = 0;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.write();
  }

  /** What every process of the run needs in its environment to follow this clock. */
  env(): Record<string, string> {
    return { NODE_OPTIONS: nodeOptionsImporting([VIRTUAL_CLOCK_PRELOAD]), VIRTUAL_CLOCK_FILE: this.file };
  }

  /** The shared offset from real time. */
  get offsetMs(): number {
    return this.content.offsetMs;
  }

  /** The history its moves are recorded in, as the nemesis's operations: a reader of a probe sees when the clock moved and by how much. */
  private history: History | undefined;

  recordTo(history: History): void {
    this.history = history;
  }

  /** Servers whose own clock must move too (a Redis that keeps expiry itself). */
  private readonly servers: ((ms: number) => Promise<void>)[] = [];

  followedBy(server: (ms: number) => Promise<void>): void {
    this.servers.push(server);
  }

  /** Moves every process's clock, and every following server's, forward by `ms`. */
  async advanceBy(ms: number): Promise<void> {
    this.content.offsetMs += ms;
    this.write();
    for (const server of this.servers) await server(ms);
    this.history?.record({ type: 'info', f: 'clock-advance', process: 'nemesis', value: { byMs: ms, offsetMs: this.content.offsetMs, servers: this.servers.length } });
  }

  /** One process's own error on top of the shared offset (0 removes it). */
  setSkew(pid: number, ms: number): void {
    if (ms === 0) delete this.content.skewMsByPid[String(pid)];
    else this.content.skewMsByPid[String(pid)] = ms;
    this.write();
    this.history?.record({ type: 'info', f: 'clock-skew', process: 'nemesis', value: { pid, skewMs: ms } });
  }

  clearSkews(): void {
    this.content.skewMsByPid = {};
    this.write();
    this.history?.record({ type: 'info', f: 'clock-skew', process: 'nemesis', value: { cleared: true } });
  }

  /** Real time + offset + the pid's skew, as that process would see it. */
  nowFor(pid?: number): number {
    return Date.now() + this.content.offsetMs + (pid === undefined ? 0 : (this.content.skewMsByPid[String(pid)] ?? 0));
  }

  /** Temp file + rename: a process never reads half a clock. */
  private write(): void {
    this.writes += 1;
    const temp = `${this.file}.${process.pid}.${this.writes}.tmp`;
    writeFileSync(temp, JSON.stringify(this.content));
    renameSync(temp, this.file);
  }
}
