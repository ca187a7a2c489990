/**
 * Splits a byte stream into lines and keeps every line seen, so a caller that
 * starts waiting late (for a readiness announcement, say) still finds it.
 */
import type { Readable } from 'node:stream';

export type LineListener = (line: string) => void;

export class LineSplitter {
  readonly lines: string[] = [];
  private partial = '';
  private readonly listeners = new Set<LineListener>();
  private ended = false;
  private readonly endListeners = new Set<() => void>();

  constructor(stream: Readable | null | undefined) {
    if (!stream) {
      this.ended = true;
      return;
    }
    stream.on('data', (chunk: Buffer) => this.push(chunk.toString('utf8')));
    stream.on('end', () => this.finish());
    stream.on('close', () => this.finish());
    stream.on('error', () => this.finish());
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

  private push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emit(line.replace(/\r$/, ''));
  }

  private emit(line: string): void {
    // Bounded memory: a chatty process must not grow the harness forever.
    if (this.lines.length < 10_000) this.lines.push(line);
    for (const listener of this.listeners) listener(line);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.partial) this.emit(this.partial);
    this.partial = '';
    for (const listener of this.endListeners) listener();
    this.endListeners.clear();
  }
}
