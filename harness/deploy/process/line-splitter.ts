/**
 * Splits a byte stream into lines, hands every line to its listeners as it
 * arrives, counts what the stream carried, and keeps a bounded record of the
 * lines: the first ones, so that a caller that starts waiting late (for a
 * readiness announcement, say) still finds them, and the last ones, for the
 * tail of an error message.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type LineListener = (line: string) => void;

/** What a stream carried so far: bytes as read from the pipe, lines as split. */
export interface StreamVolume {
  bytes: number;
  lines: number;
}

/** Where a process says it is ready: its first lines. */
const KEPT_HEAD_LINES = 100;
/** Enough for any tail() and for a short command's whole output; a flood beyond it is dropped from memory. */
const KEPT_TAIL_LINES = 10_000;
/** Ten thousand long lines would still be a lot of memory: the tail is bounded in characters too. */
const KEPT_TAIL_CHARS = 8 * 1024 * 1024;

export class LineSplitter {
  private readonly head: string[] = [];
  // The tail is a window [tailStart, tail.length) of this array, compacted now and then, so dropping a line costs O(1).
  private tail: string[] = [];
  private tailStart = 0;
  private tailChars = 0;
  /** Lines seen but no longer kept in `lines` (between the head and the tail). */
  dropped = 0;
  private readonly volume: StreamVolume = { bytes: 0, lines: 0 };
  // A multi-byte character split across two pipe chunks must come out whole, not as two U+FFFD.
  private readonly decoder = new StringDecoder('utf8');
  private pending: string[] = [];
  private readonly listeners = new Set<LineListener>();
  private ended = false;
  private readonly endListeners = new Set<() => void>();

  constructor(stream: Readable | null | undefined) {
    if (!stream) {
      this.ended = true;
      return;
    }
    stream.on('data', (chunk: Buffer | string) => this.push(chunk));
    stream.on('end', () => this.finish());
    stream.on('close', () => this.finish());
    stream.on('error', () => this.finish());
  }

  /**
   * The lines kept: the first KEPT_HEAD_LINES and the last ones (up to
   * KEPT_TAIL_LINES and KEPT_TAIL_CHARS). When `dropped` is not 0, that many
   * lines between the two are missing. A copy: cheap enough for error paths
   * and late waiters, not meant for a hot loop.
   */
  get lines(): string[] {
    return this.tailStart === 0 ? [...this.head, ...this.tail] : [...this.head, ...this.tail.slice(this.tailStart)];
  }

  /** Bytes and lines the stream carried, kept or not. */
  get carried(): StreamVolume {
    return { ...this.volume };
  }

  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEnd(listener: () => void): () => void {
    if (this.ended) {
      listener();
      return () => undefined;
    }
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  private push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    this.volume.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.splitOff(text);
  }

  private splitOff(text: string): void {
    const lastNewline = text.lastIndexOf('\n');
    // Pieces of a long line wait in a list: concatenating and re-splitting on every chunk would be quadratic.
    if (lastNewline === -1) {
      if (text) this.pending.push(text);
      return;
    }
    const complete = this.pending.join('') + text.slice(0, lastNewline);
    const rest = text.slice(lastNewline + 1);
    this.pending = rest ? [rest] : [];
    for (const line of complete.split('\n')) this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  private emit(line: string): void {
    this.volume.lines += 1;
    this.keep(line);
    for (const listener of this.listeners) listener(line);
  }

  private keep(line: string): void {
    if (this.head.length < KEPT_HEAD_LINES) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    this.tailChars += line.length;
    // The newest line always stays, however long: a tail without the last line would hide the last word.
    while (this.tail.length - this.tailStart > 1 && (this.tail.length - this.tailStart > KEPT_TAIL_LINES || this.tailChars > KEPT_TAIL_CHARS)) {
      this.tailChars -= this.tail[this.tailStart]!.length;
      this.tailStart += 1;
      this.dropped += 1;
    }
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    const last = this.pending.join('') + this.decoder.end();
    this.pending = [];
    if (last) this.splitOff(`${last}\n`);
    for (const listener of this.endListeners) listener();
    this.endListeners.clear();
  }
}
