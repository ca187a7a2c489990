/** How a run was made, for the report's "rerun it" section. */
import { execaSync } from 'execa';
import os from 'node:os';
import type { RunEnvironment } from './results-document.ts';
import { PROJECT_ROOT } from '../core/run-folder.ts';

function git(args: string[]): string {
  try {
    return execaSync('git', args, { cwd: PROJECT_ROOT, reject: false }).stdout.trim();
  } catch {
    return '';
  }
}

export function describeEnvironment(command: string): RunEnvironment {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    commit: git(['rev-parse', '--short=12', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--', 'src', 'harness', 'scenarios', 'fixtures']) !== '',
    date: new Date().toISOString(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu,
    cpus: os.availableParallelism(),
    command,
  };
}
