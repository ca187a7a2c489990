/**
 * Forces the lost update on each named target × store from the checkout
 * this file sits in, and prints one JSON line per race: the outcome as
 * measureRaces would record it. race-under-tmp.test.ts runs it from a copy
 * of the project under /tmp, where the project's own run folder (and every
 * log the harness's preloads write there) is under the same /tmp the write
 * gate watches.
 *
 *   node --import tsx lost-update-from-checkout.ts <target file relative to the project>=<store> ...
 */
import path from 'node:path';
import { closeRunFolder, createRunFolder, PROJECT_ROOT } from '../../../core/run-folder.ts';
import { stopAllChildren } from '../../../deploy/process/child-process.ts';
import { MockAtlassian } from '../../../deploy/services/mock-atlassian.ts';
import { loadTarget } from '../../../deploy/target/load-target.ts';
import { forceLostUpdate } from '../lost-update.ts';
import { startRaceDeployment } from '../race-deployment.ts';

const run = createRunFolder(undefined, 'race-from-checkout');
const mock = await MockAtlassian.start(run.logDir);
try {
  for (const [i, argument] of process.argv.slice(2).entries()) {
    const [file, store] = argument.split('=') as [string, string];
    const target = await loadTarget(path.join(PROJECT_ROOT, file));
    const race = await startRaceDeployment({ run, mock, target }, store, `race-from-checkout-${i}`);
    try {
      const outcome = await forceLostUpdate(race, target, store);
      process.stdout.write(`${JSON.stringify({ target: file, runDir: run.dir, ...outcome })}\n`);
    } finally {
      await race.stop();
    }
  }
} finally {
  await mock.stop();
  await stopAllChildren({ graceMs: 500 });
  closeRunFolder(run);
}
