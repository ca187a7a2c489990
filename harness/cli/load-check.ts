/**
 * `npm run load-check`: does a busy machine change what the harness says?
 * One full `npm run repro` on the machine as it is (the reference), then N
 * more while a bounded CPU burner keeps every core busy; each loaded run
 * must exit 0, report no harness error and reach exactly the reference's
 * verdicts (verdict-fingerprint.ts: claims, cells, rows, grades; never
 * figures or timings). Afterwards nothing the runs made may be left in
 * /tmp. Last, still loaded, one more run is killed with SIGKILL once its
 * measurements have begun (a crash of the harness itself): every process
 * it started must end and its /tmp folders go (the orphan reaper's job),
 * and REPORT.md must be byte for byte what it was. Prints one line per run
 * and the CPU the burner actually got, and exits 0 only when all of it held.
 *
 *   npm run load-check -- [--runs N] [--workers N] [--reference RUN_DIR]
 *
 * --reference takes an earlier run folder as the reference instead of a
 * fresh quiet run. Every run is a full default run, so REPORT.md is
 * rewritten by each (with the same verdicts when the check passes).
 */
import { mkdirSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, runsRoot } from '../core/run-folder.ts';
import { describeError } from '../core/harness-error.ts';
import { startCpuBurner } from '../deploy/process/cpu-burner.ts';
import { spawnChild, stopAllChildren } from '../deploy/process/child-process.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { fingerprintDifferences, verdictFingerprint } from '../results/verdict-fingerprint.ts';
import { seconds } from '../report/format.ts';

interface RunOutcome {
  label: string;
  /** The harness's pid: names what its run put in /tmp. */
  pid?: number;
  code: number | null;
  wallMs: number;
  runDir?: string;
  fingerprint?: string[];
  incidents: number;
}

/** Folders the runs of these harness pids left in /tmp: the simulated hosts' and redis-server's, both named with the harness's pid (other work on the machine may be making its own). */
const leftovers = (pids: readonly number[]) =>
  readdirSync(os.tmpdir()).filter((name) => (name.startsWith('oauth-state-repro-hosts-') || name.startsWith('redis-server-')) && pids.some((pid) => name.includes(`-${pid}-`)));

function startRepro(label: string, logDir: string) {
  return spawnChild({
    name: `load-check.${label}`,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'harness/cli/repro.ts')],
    cwd: PROJECT_ROOT,
    env: { HOME: process.env.HOME, OAUTH_REPRO_RUNS_DIR: process.env.OAUTH_REPRO_RUNS_DIR, OAUTH_REPRO_KEEP_RUNS: process.env.OAUTH_REPRO_KEEP_RUNS },
    logDir,
  });
}

async function repro(label: string, logDir: string): Promise<RunOutcome> {
  const started = performance.now();
  const child = startRepro(label, logDir);
  const exit = await child.exited;
  const outcome: RunOutcome = { label, pid: child.pid, code: exit.code, wallMs: performance.now() - started, incidents: 0 };
  try {
    const runDir = realpathSync(path.join(runsRoot(), 'latest'));
    const document = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsDocument;
    return { ...outcome, runDir, fingerprint: verdictFingerprint(document), incidents: document.harnessIncidents?.length ?? 0 };
  } catch (error) {
    process.stderr.write(`load-check: ${label}: no results to read (${describeError(error)}); log ${child.logPath}\n`);
    return outcome;
  }
}

interface KilledRun {
  pid: number;
  /** Processes the killed harness had started that were still alive at the deadline. */
  survivors: number[];
  leftovers: string[];
  reportIntact: boolean;
  cleanMs: number;
}

/** The pids a run's children had, from the first line of each log ("# name pid=N …"). */
function loggedPids(runDir: string): number[] {
  const logs = path.join(runDir, 'logs');
  return readdirSync(logs).flatMap((file) => {
    const match = /^# \S+ pid=(\d+) /.exec(readFileSync(path.join(logs, file), 'utf8').slice(0, 300));
    return match ? [Number(match[1])] : [];
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
};

/** A full run SIGKILLed once its measurements have begun; then waits (up to a minute, polling) for the reaper to have ended and removed everything. */
async function killedRun(logDir: string): Promise<KilledRun> {
  const reportFile = path.join(PROJECT_ROOT, 'REPORT.md');
  const before = readFileSync(reportFile);
  const child = startRepro('killed', logDir);
  // The first measurement to finish: the table is done, deployments and redis are up, the report is next.
  await child.waitForLine('stderr', (line) => (/\bmeasured \S+ in [\d.]+ s\b/.test(line) ? true : undefined), 'a measurement finishing', 15 * 60_000);
  const runDir = realpathSync(path.join(runsRoot(), 'latest'));
  const pids = loggedPids(runDir);
  child.signal('SIGKILL');
  await child.exited;
  const killedAt = performance.now();
  let survivors = pids.filter(alive);
  let left = leftovers([child.pid]);
  while ((survivors.length || left.length) && performance.now() - killedAt < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    survivors = pids.filter(alive);
    left = leftovers([child.pid]);
  }
  return { pid: child.pid, survivors, leftovers: left, reportIntact: readFileSync(reportFile).equals(before), cleanMs: performance.now() - killedAt };
}

function readReference(runDir: string): RunOutcome {
  const document = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsDocument;
  return { label: 'reference', code: 0, wallMs: document.wallMs, runDir, fingerprint: verdictFingerprint(document), incidents: document.harnessIncidents?.length ?? 0 };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, workers: { type: 'string' }, reference: { type: 'string' } }, strict: true });
  const runs = Number(values.runs ?? 5);
  const workers = Number(values.workers ?? os.availableParallelism());
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(workers) || workers < 1) {
    process.stderr.write('load-check: --runs and --workers expect whole numbers from 1\n');
    return 64;
  }
  const logDir = path.join(runsRoot(), 'load-check', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(logDir, { recursive: true });

  const reference = values.reference ? readReference(path.resolve(values.reference)) : await repro('reference (machine as it is)', logDir);
  report(reference, undefined);
  if (!reference.fingerprint || reference.code !== 0) {
    process.stderr.write('load-check: the reference run did not succeed; nothing to compare against\n');
    return 2;
  }

  // Bounded: the burners end on their own well after the runs should have, and are stopped as soon as they are done.
  const burner = await startCpuBurner({ logDir, workers, maxMs: runs * 20 * 60_000 });
  process.stdout.write(`load-check: ${workers} CPU burner(s) running (pids ${burner.pids.join(', ')}) on ${os.availableParallelism()} core(s)\n`);
  const loaded: RunOutcome[] = [];
  let killed: KilledRun | undefined;
  try {
    for (let i = 1; i <= runs; i++) {
      const outcome = await repro(`loaded-${i}`, logDir);
      loaded.push(outcome);
      report(outcome, reference);
    }
    killed = await killedRun(logDir);
    process.stdout.write(
      `load-check: killed run (pid ${killed.pid}, SIGKILL once measuring): ${killed.survivors.length} of its processes alive, ${killed.leftovers.length} folder(s) left in /tmp after ${seconds(killed.cleanMs)}${killed.survivors.length ? ` (pids ${killed.survivors.join(', ')})` : ''}${killed.leftovers.length ? ` (${killed.leftovers.join(', ')})` : ''}; REPORT.md ${killed.reportIntact ? 'unchanged' : 'CHANGED'}\n`,
    );
  } finally {
    const burnt = await burner.stop();
    process.stdout.write(`load-check: the burners got ${seconds(burnt.cpuMs)} of CPU in ${seconds(burnt.wallMs)} (${burnt.workers} burner(s): ${((burnt.cpuMs / (burnt.wallMs * os.availableParallelism())) * 100).toFixed(0)}% of the machine's ${os.availableParallelism()} core(s) while the runs wanted them too)\n`);
  }
  const left = leftovers([reference, ...loaded].flatMap((o) => (o.pid ? [o.pid] : [])));
  if (left.length) process.stdout.write(`load-check: left in ${os.tmpdir()}: ${left.join(', ')}\n`);
  const agreed = loaded.every((o) => o.code === 0 && o.incidents === 0 && o.fingerprint && differences(o, reference) === 0);
  const crashClean = killed !== undefined && killed.survivors.length === 0 && killed.leftovers.length === 0 && killed.reportIntact;
  const passed = agreed && left.length === 0 && crashClean;
  process.stdout.write(`load-check: ${passed ? 'PASSED' : 'FAILED'}: ${loaded.filter((o) => o.code === 0).length}/${runs} loaded runs exited 0, ${loaded.filter((o) => o.fingerprint && differences(o, reference) === 0).length}/${runs} with the reference's verdicts, ${left.length} folder(s) left in /tmp, the killed run ${crashClean ? 'cleaned up with REPORT.md intact' : 'NOT cleaned up'}; logs in ${logDir}\n`);
  return passed ? 0 : 1;
}

function differences(outcome: RunOutcome, reference: RunOutcome): number {
  const diff = fingerprintDifferences(reference.fingerprint!, outcome.fingerprint!);
  return diff.onlyInOther.length + diff.onlyInReference.length;
}

function report(outcome: RunOutcome, reference: RunOutcome | undefined): void {
  const head = `load-check: ${outcome.label}: exit ${outcome.code}, ${seconds(outcome.wallMs)}, ${outcome.incidents} harness error(s), ${outcome.fingerprint?.length ?? 0} verdicts`;
  if (!reference || !outcome.fingerprint) {
    process.stdout.write(`${head}${outcome.runDir ? ` (${path.relative(PROJECT_ROOT, outcome.runDir)})` : ''}\n`);
    return;
  }
  const diff = fingerprintDifferences(reference.fingerprint!, outcome.fingerprint);
  const lines = [...diff.onlyInReference.map((l) => `    reference: ${l}`), ...diff.onlyInOther.map((l) => `    this run:  ${l}`)];
  process.stdout.write(`${head}, ${lines.length ? `${diff.onlyInOther.length} verdict(s) differ:\n${lines.join('\n')}` : 'same verdicts as the reference'} (${outcome.runDir ? path.relative(PROJECT_ROOT, outcome.runDir) : 'no run folder'})\n`);
}

main(process.argv.slice(2)).then(
  async (code) => {
    await stopAllChildren({ graceMs: 1000 });
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(`load-check: ${describeError(error)}\n`);
    await stopAllChildren({ graceMs: 1000 });
    process.exitCode = 2;
  },
);
