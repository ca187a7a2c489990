// A harness in miniature that owns a temporary folder: makes one under
// os.tmpdir() with read-only content, claims it as a run claims its hosts
// folder (or claims and then releases it, as --keep leaves one), starts a
// child that writes into it through the real spawning module, prints the
// child's pid, the reaper's and the folder once the reaper knows of them,
// then waits to be killed.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimTemporaryFolder, releaseTemporaryFolder } from '../../../core/temporary-folders.ts';
import { spawnChild } from '../child-process.ts';
import { reaperReady } from '../reaper.ts';

const [logDir = os.tmpdir(), mode = 'claimed'] = process.argv.slice(2);
const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-reaper-test-'));
claimTemporaryFolder(dir);
mkdirSync(path.join(dir, 'read-only'));
writeFileSync(path.join(dir, 'read-only', 'secret'), 'x', { mode: 0o400 });
chmodSync(path.join(dir, 'read-only'), 0o500);
if (mode === 'released') releaseTemporaryFolder(dir);
const child = spawnChild({
  name: 'folder-writer',
  command: process.execPath,
  args: [fileURLToPath(new URL('./folder-writer.mjs', import.meta.url)), dir],
  env: {},
  logDir,
});
await child.waitForReady('stdout', 'folder-writer');
const reaper = await reaperReady();
process.stdout.write(`child ${child.pid} reaper ${reaper} folder ${dir}\n`);
setInterval(() => undefined, 1000);
