/**
 * A throw-away run for `npm run timing`'s cost measurements: a run folder
 * under the system's temporary folder (so the user's runs/latest stays where
 * it was) and a mock provider, both gone afterwards with every child process
 * the body started, whether it completed or threw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeRunFolder, createRunFolder, type RunFolder } from '../core/run-folder.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import { MockAtlassian } from '../deploy/services/mock-atlassian.ts';

export async function withScratchRun<T>(name: string, body: (run: RunFolder, mock: MockAtlassian) => Promise<T>): Promise<T> {
  const root = mkdtempSync(path.join(os.tmpdir(), `oauth-state-repro-${name}-`));
  const run = createRunFolder(root);
  try {
    const mock = await MockAtlassian.start(run.logDir);
    try {
      return await body(run, mock);
    } finally {
      await mock.stop();
    }
  } finally {
    await stopAllChildren({ graceMs: 300 });
    closeRunFolder(run);
    rmSync(root, { recursive: true, force: true });
  }
}
