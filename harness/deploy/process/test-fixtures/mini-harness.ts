// A harness in miniature: starts a stubborn child through the real spawning
// module, prints the child's pid, then waits to be interrupted or killed.
import { spawnChild } from '../child-process.ts';
import { fileURLToPath } from 'node:url';

const logDir = process.argv[2] ?? '/tmp';
const child = spawnChild({
  name: 'stubborn',
  command: process.execPath,
  args: [fileURLToPath(new URL('./stubborn-child.mjs', import.meta.url))],
  env: {},
  logDir,
});
await child.waitForReady('stdout', 'stubborn');
process.stdout.write(`child ${child.pid}\n`);
setInterval(() => undefined, 1000);
