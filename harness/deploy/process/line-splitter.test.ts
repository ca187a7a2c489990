import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS, truncationNote } from './line-splitter.ts';

function splitterOver(maxLineChars?: number) {
  const stream = new PassThrough();
  const splitter = new LineSplitter(stream, maxLineChars === undefined ? {} : { maxLineChars });
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
    stream.end('z'.repeat(MAX_LINE_CHARS));
    await ended;
    const tail = splitter.lines.slice(100);
    // 8 MiB of tail: the last line (4 MiB) and one 3 MiB line before it.
    expect(tail).toEqual([long, 'z'.repeat(MAX_LINE_CHARS)]);
    expect(splitter.dropped).toBe(4);
    expect(splitter.truncated).toEqual({ lines: 0, bytes: 0 });
  });
});

describe('LineSplitter: a line longer than the maximum', () => {
  /** Every byte its own chunk: the harshest split a pipe could make. */
  function writeByteByByte(stream: PassThrough, text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i++) stream.write(bytes.subarray(i, i + 1));
    return bytes.length;
  }

  test('is cut at the maximum, says how many bytes were dropped, and the next line is whole (multi-byte input split at every byte)', async () => {
    const { stream, splitter, seen, ended } = splitterOver(8);
    const printed = writeByteByByte(stream, 'héllo wörld ✓ 🔑 done\nnext ✓\n');
    stream.end();
    await ended;
    const droppedText = 'rld ✓ 🔑 done';
    expect(seen).toEqual([`héllo wö${truncationNote(Buffer.byteLength(droppedText), 8)}`, 'next ✓']);
    expect(Buffer.byteLength(droppedText)).toBe(17);
    expect(splitter.truncated).toEqual({ lines: 1, bytes: 17 });
    expect(splitter.carried).toEqual({ bytes: printed, lines: 2 });
  });

  test('a cut never keeps half of a surrogate pair, whether the pair came in one piece or split across chunks', async () => {
    for (const write of [(s: PassThrough, t: string) => s.write(t), writeByteByByte]) {
      const { stream, splitter, seen, ended } = splitterOver(8);
      write(stream, '1234567🔑x\r\n');
      stream.end();
      await ended;
      // 🔑 is two UTF-16 code units (4 bytes): the eighth unit would be its first half, so the line keeps seven; the CR ends the line and is no byte of it.
      expect(seen).toEqual([`1234567${truncationNote(5, 8)}`]);
      expect(splitter.truncated).toEqual({ lines: 1, bytes: 5 });
    }
  });

  test('a partial line without a newline stays bounded while it grows, and is counted when the stream ends', async () => {
    const { stream, splitter, seen, ended } = splitterOver(100);
    const chunk = 'x'.repeat(1000);
    for (let i = 0; i < 1000; i++) stream.write(chunk);
    stream.end();
    await ended;
    expect(seen).toEqual([`${'x'.repeat(100)}${truncationNote(1_000_000 - 100, 100)}`]);
    expect(splitter.truncated).toEqual({ lines: 1, bytes: 999_900 });
    expect(splitter.carried).toEqual({ bytes: 1_000_000, lines: 1 });
  });

  test('long lines inside one chunk are cut one by one; short ones pass untouched', async () => {
    const { stream, splitter, seen, ended } = splitterOver(4);
    stream.end('ab\nabcdefg\nabcd\nabcdé\n');
    await ended;
    expect(seen).toEqual(['ab', `abcd${truncationNote(3, 4)}`, 'abcd', `abcd${truncationNote(2, 4)}`]);
    expect(splitter.truncated).toEqual({ lines: 2, bytes: 5 });
  });
});
