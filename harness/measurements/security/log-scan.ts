/** Reads a run's logs line by line: feeds the secret scanner, counts raw control characters and forged log lines. */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SecretScanner } from './secret-scan.ts';

export interface LogHygiene {
  files: number;
  bytes: number;
  /** Raw C0/C1 controls (other than tab), bidi and zero-width characters in process output. */
  rawControlChars: number;
  /** Lines that begin with text a hostile request placed after a line break. */
  forgedLines: { file: string; line: number; preview: string }[];
}

const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** The harness writes each line of a child's output as `<ms> <stream> <line>`. */
const LOG_PREFIX = /^\s*\d+ (?:stdout|stderr) /;

export async function scanLogFile(file: string, source: string, scanner: SecretScanner, hygiene: LogHygiene, markers: readonly string[]): Promise<void> {
  hygiene.files += 1;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let slice: string[] = [];
  let lineNo = 0;
  let sliceStart = 0;
  const flush = () => {
    if (slice.length === 0) return;
    scanner.feed({ source, text: slice.join('\n'), lineOffset: sliceStart });
    sliceStart = lineNo;
    slice = [];
  };
  for await (const line of lines) {
    lineNo += 1;
    hygiene.bytes += line.length + 1;
    const controls = line.match(RAW_CONTROL);
    if (controls) hygiene.rawControlChars += controls.length;
    const payload = line.replace(LOG_PREFIX, '');
    if (markers.some((m) => payload.startsWith(m)) && hygiene.forgedLines.length < 10) {
      hygiene.forgedLines.push({ file: source, line: lineNo, preview: JSON.stringify(payload.slice(0, 60)) });
    }
    slice.push(line);
    if (slice.length >= 5000) flush();
  }
  flush();
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) out.push(...listFiles(full));
    else if (stat?.isFile()) out.push(full);
  }
  return out;
}
