import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

function splitterOver() {
  const stream = new PassThrough();
  const splitter = new LineSplitter(stream);
  const seen: string[] = [];
  splitter.onLine((line) => seen.push(line));
  const ended = new Promise<void>((resolve) => splitter.onEnd(resolve));
  return { stream, splitter, seen, ended };
}

describe('LineSplitter', () => {
  // Each pipe chunk used to be decoded on its own, so a character split between two chunks came out as two U+FFFD.
  test('a multi-byte character split across two chunks comes out whole', async () => {
    const { stream, splitter, seen, ended } = splitterOver();
    const bytes = Buffer.from('café ✓ 🔑\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('🔑', 'utf8')) + 2;
    stream.write(bytes.subarray(0, cut));
    stream.write(bytes.subarray(cut));
    stream.end();
    await ended;
    expect(seen).toEqual(['café ✓ 🔑']);
    expect(splitter.carried).toEqual({ bytes: bytes.length, lines: 1 });
  });

  test('a line in many chunks, CRLF endings, and a last line without a newline', async () => {
    const { stream, seen, ended } = splitterOver();
    for (const piece of ['a lo', 'ng li', 'ne\r\nsecond\r', '\nlast']) stream.write(piece);
    stream.end();
    await ended;
    expect(seen).toEqual(['a long line', 'second', 'last']);
  });

  test('keeps the first lines and the last ones, and every line still reaches the listeners', async () => {
    const { stream, splitter, seen, ended } = splitterOver();
    const total = 25_000;
    stream.end(Array.from({ length: total }, (_, i) => `line ${i + 1}\n`).join(''));
    await ended;
    expect(seen).toHaveLength(total);
    const kept = splitter.lines;
    expect(kept).toHaveLength(100 + 10_000);
    expect(kept.slice(0, 2)).toEqual(['line 1', 'line 2']);
    expect(kept[100]).toBe(`line ${total - 10_000 + 1}`);
    expect(kept.at(-1)).toBe(`line ${total}`);
    expect(splitter.dropped).toBe(total - kept.length);
    expect(splitter.carried.lines).toBe(total);
  });

  test('long lines are bounded in characters too, but the last line always stays', async () => {
    const { stream, splitter, ended } = splitterOver();
    const long = 'y'.repeat(3 * 1024 * 1024);
    for (let i = 0; i < 100; i++) stream.write(`head ${i}\n`);
    for (let i = 0; i < 5; i++) stream.write(`${long}\n`);
    stream.end('z'.repeat(9 * 1024 * 1024));
    await ended;
    const tail = splitter.lines.slice(100);
    expect(tail).toEqual(['z'.repeat(9 * 1024 * 1024)]);
    expect(splitter.dropped).toBe(5);
  });
});
