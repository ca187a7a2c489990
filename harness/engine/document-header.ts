/** The head of a results document, the same for a battery's run and a remote-only run: what ran, where, how hosts were simulated, how long. */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT, type RunFolder } from '../core/run-folder.ts';
import { FROM_PACKAGE } from '../core/package-layout.ts';
import { isolationCaveat, isolationMode } from '../deploy/hosts.ts';
import { describeEnvironment } from '../results/run-environment.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsDocument } from '../results/results-document.ts';

export function isolationSummary(): ResultsDocument['isolation'] {
  const mode = isolationMode();
  const caveat = isolationCaveat(mode);
  return { mode: mode.kind, detail: mode.kind === 'mount-namespace' ? mode.how : mode.why, ...(caveat ? { caveat } : {}) };
}

type Header = Pick<ResultsDocument, 'schemaVersion' | 'target' | 'targetSource' | 'provider' | 'isolation' | 'runDir' | 'environment' | 'wallMs'>;

/** `started`: performance.now() when the run began. */
export function documentHeader(target: { name: string; source: { file: string; version?: string }; provider?: string }, run: RunFolder, command: string, started: number): Header {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    target: target.name,
    // The installed package names the file from the user's project, not from its own folder in node_modules.
    targetSource: { file: path.relative(FROM_PACKAGE ? process.cwd() : PROJECT_ROOT, target.source.file) || target.source.file, ...(target.source.version ? { version: target.source.version } : {}) },
    ...(target.provider ? { provider: target.provider } : {}),
    isolation: isolationSummary(),
    runDir: path.relative(process.cwd(), run.dir) || run.dir,
    environment: describeEnvironment(command),
    wallMs: Math.round(performance.now() - started),
  };
}
