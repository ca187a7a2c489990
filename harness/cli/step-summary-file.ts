/**
 * GitHub gives each step its own $GITHUB_STEP_SUMMARY file and reads it
 * when the step ends; a step appends to it. Appending in place can leave it
 * half-written when the harness is killed mid-write, so the file is read
 * and replaced whole with what it had plus the new markdown.
 */
import { readFile } from 'node:fs/promises';
import { writeOutputAtomic } from '../core/atomic-output.ts';

export async function appendStepSummary(file: string, markdown: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  await writeOutputAtomic(file, `${current}${markdown}`);
}
