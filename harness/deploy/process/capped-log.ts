/**
 * A child's log file with a size cap. A process that prints without end must
 * not fill the disk: a callback process printing 50 MB left a 231 MB run
 * folder. Past the cap, lines are counted, not written; the file says where
 * the cap was hit and, at the end, how much was left out.
 */
import type { WriteStream } from 'node:fs';
import { formatBytes, formatCount } from './byte-size.ts';
import type { StreamVolume } from './line-splitter.ts';

export const LOG_CAP_ENV = 'OAUTH_REPRO_LOG_CAP_BYTES';
export const DEFAULT_LOG_CAP_BYTES = 8 * 1024 * 1024;

/** The cap for each child's log file: OAUTH_REPRO_LOG_CAP_BYTES (a whole number of bytes) or 8 MiB. */
export function logCapBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const given = env[LOG_CAP_ENV];
  if (given === undefined || given.trim() === '') return DEFAULT_LOG_CAP_BYTES;
  if (!/^\d+$/.test(given.trim()) || Number(given) <= 0) {
    throw new Error(`${LOG_CAP_ENV}: expected a whole number of bytes greater than 0, got ${JSON.stringify(given)}`);
  }
  return Number(given);
}

export class CappedLog {
  private keptBytes = 0;
  private capped = false;
  /** The child's output that did not go in the file: bytes as printed, lines. */
  readonly notKept: StreamVolume = { bytes: 0, lines: 0 };
  /** Settles once the file is written and closed (or could not be): when a reader may trust its contents. */
  readonly closed: Promise<void>;

  constructor(
    private readonly file: WriteStream,
    readonly capBytes: number,
  ) {
    this.closed = new Promise((resolve) => {
      file.once('close', () => resolve());
      file.once('error', () => resolve());
    });
  }

  /** A line of the harness's own (a header, the exit): outside the cap, so it is always there. */
  note(text: string): void {
    if (this.file.writable) this.file.write(`# ${text}\n`);
  }

  /**
   * One line of the child's output: `entry` as it goes in the file, `printed`
   * the line as the child printed it. Once the cap is hit, every later line is
   * counted instead, so that the file is an unbroken beginning of the output.
   */
  line(entry: string, printed: string, elapsedMs: number): void {
    if (!this.file.writable) return;
    const entryBytes = Buffer.byteLength(entry) + 1;
    if (!this.capped && this.keptBytes + entryBytes <= this.capBytes) {
      this.keptBytes += entryBytes;
      this.file.write(`${entry}\n`);
      return;
    }
    if (!this.capped) {
      this.capped = true;
      this.note(`log cap of ${formatBytes(this.capBytes)} reached at ${elapsedMs} ms: further stdout/stderr lines are counted, not kept (${LOG_CAP_ENV} sets the cap)`);
    }
    this.notKept.lines += 1;
    this.notKept.bytes += Buffer.byteLength(printed) + 1;
  }

  /** Closes the file with the count of what was left out, if anything was, then `lastNote`. */
  end(lastNote: string): void {
    if (!this.file.writable) return;
    if (this.capped) {
      this.note(`log capped at ${formatBytes(this.capBytes)}: ${formatCount(this.notKept.lines)} lines (${formatBytes(this.notKept.bytes)}) of stdout/stderr not kept`);
    }
    this.file.end(`# ${lastNote}\n`);
  }
}
