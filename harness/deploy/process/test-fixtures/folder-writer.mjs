// A child that ignores SIGTERM and keeps writing into the folder it is given
// until SIGKILL: if that folder were removed while it still ran, it would
// soon be there again.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
// Silent after its readiness line: its pipes lead to a harness that is dead by then, and a write there would kill it (EPIPE).
process.on('SIGTERM', () => undefined);
for (const stream of [process.stdin, process.stdout, process.stderr]) stream.on('error', () => undefined);
process.stdin.on('data', () => undefined);
let count = 0;
setInterval(() => {
  try {
    mkdirSync(path.join(dir, 'written'), { recursive: true });
    writeFileSync(path.join(dir, 'written', String(count++ % 10)), 'x');
  } catch {
    // a folder being removed under it: write again next time
  }
}, 5);
process.stdout.write(JSON.stringify({ ready: 'folder-writer', url: 'none', pid: process.pid }) + '\n');
