/**
 * Splits a byte stream into lines, hands every line to its listeners as it
 * arrives, counts what the stream carried, and keeps a bounded record of the
 * lines: the first ones, so that a caller that starts waiting late (for a
 * readiness announcement, say) still finds them, and the last ones, for the
 * tail of an error message.
 *
 * The bytes are decoded as one stream (a character split across two pipe
 * chunks comes out whole), and a line is cut at a maximum length: a process
 * that prints without a newline must not grow the harness's memory without
 * end. A cut line ends with a note of how many bytes were dropped from it.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { formatCount } from './byte-size.ts';

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
/**
 * The longest line handed on whole. MCP messages of the tool process come
 * through here, so it is far above any message a server sends in a flow;
 * what is beyond it could only be a flood.
 */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export interface LineSplitterOptions {
  /** Lines longer than this (in UTF-16 code units, as JavaScript counts a string) are cut; default MAX_LINE_CHARS. */
  maxLineChars?: number;
}

/** Lines that were cut at the maximum length, and the bytes (as printed, UTF-8) left out of them. */
export interface Truncations {
  lines: number;
  bytes: number;
}

/** What ends a cut line: the count of what is missing, so that no reader takes the line for whole. */
export function truncationNote(droppedBytes: number, maxLineChars: number): string {
  return `… [${formatCount(droppedBytes)} bytes dropped: line longer than ${formatCount(maxLineChars)} characters]`;
}

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
  private pendingChars = 0;
  /** Bytes of the line being read that were beyond the maximum and not kept. */
  private pendingDroppedBytes = 0;
  private droppedEndsWithCr = false;
  private readonly maxLineChars: number;
  private readonly truncations: Truncations = { lines: 0, bytes: 0 };
  private readonly listeners = new Set<LineListener>();
  private ended = false;
  private readonly endListeners = new Set<() => void>();

  constructor(stream: Readable | null | undefined, options: LineSplitterOptions = {}) {
    this.maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
    if (!Number.isInteger(this.maxLineChars) || this.maxLineChars < 1) throw new Error(`maxLineChars: expected a whole number above 0, got ${this.maxLineChars}`);
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

  /** Lines cut at the maximum length so far, and the bytes dropped from them. */
  get truncated(): Truncations {
    return { ...this.truncations };
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
      this.hold(text);
      return;
    }
    const firstNewline = text.indexOf('\n');
    this.hold(text.slice(0, firstNewline));
    this.emitHeld();
    if (firstNewline < lastNewline) {
      for (const line of text.slice(firstNewline + 1, lastNewline).split('\n')) {
        if (line.length <= this.maxLineChars) this.emit(withoutCr(line));
        else {
          this.hold(line);
          this.emitHeld();
        }
      }
    }
    this.hold(text.slice(lastNewline + 1));
  }

  /** Adds a piece to the line being read, up to the maximum; past it, the piece is only counted. */
  private hold(piece: string): void {
    if (!piece) return;
    const room = this.pendingDroppedBytes > 0 ? 0 : this.maxLineChars - this.pendingChars;
    let cut = Math.min(room, piece.length);
    // Never keep half of a surrogate pair: the cut would make a character that was never printed.
    if (cut > 0 && cut < piece.length && isHighSurrogate(piece.charCodeAt(cut - 1))) cut -= 1;
    if (cut > 0) {
      this.pending.push(cut === piece.length ? piece : piece.slice(0, cut));
      this.pendingChars += cut;
    }
    if (cut < piece.length) {
      const dropped = piece.slice(cut);
      this.pendingDroppedBytes += Buffer.byteLength(dropped);
      this.droppedEndsWithCr = dropped.endsWith('\r');
    }
  }

  /** The line being read is complete: hand it on, with the note of what was cut from it. */
  private emitHeld(): void {
    const kept = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    let dropped = this.pendingDroppedBytes;
    // A CR before the newline ends the line; it is not a byte of it.
    if (dropped > 0 && this.droppedEndsWithCr) dropped -= 1;
    this.pending = [];
    this.pendingChars = 0;
    this.pendingDroppedBytes = 0;
    this.droppedEndsWithCr = false;
    if (dropped === 0) {
      this.emit(withoutCr(kept));
      return;
    }
    this.truncations.lines += 1;
    this.truncations.bytes += dropped;
    this.emit(`${kept}${truncationNote(dropped, this.maxLineChars)}`);
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
    this.splitOff(this.decoder.end());
    if (this.pendingChars > 0 || this.pendingDroppedBytes > 0) this.emitHeld();
    for (const listener of this.endListeners) listener();
    this.endListeners.clear();
  }
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
