/**
 * The unit project's guard: a unit test starts no process. Every way node
 * offers to start one throws, naming the test's mistake, so a test that
 * needs a real process fails here at once and belongs in the e2e project
 * (vitest.config.ts), where `npm test` still runs it.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const refuse = (name: string) =>
  function refused(): never {
    throw new Error(`child_process.${name}: a unit test starts no process; this file belongs to the e2e project (vitest.config.ts)`);
  };

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(name);
}
// ESM imports of node:child_process are live bindings to these: without this they would keep the originals.
syncBuiltinESMExports();
