/**
 * harness/cli/: the entry points (npm run repro, npm run bench, fresh-clone-check).
 *
 * `npm run repro`: for each target (src/ by default, or every --target
 * file), run the battery, print progress and a summary table, write the
 * results document and REPORT.md, and exit by the verdict.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishReport, reportFiles } from '../report/publish-report.ts';
import { describeIncidents, harnessIncidents } from '../results/harness-incidents.ts';
import { renderReport } from '../report/render-report.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { renderSummaryTable } from '../report/summary-table.ts';
import { describeObserved, matchMark } from '../report/format.ts';
import { plannedCells, runBattery } from '../engine/run-battery.ts';
import { TargetStartError } from '../engine/prepare-target.ts';
import { PROJECT_ROOT, runsRoot } from '../core/run-folder.ts';
import { COMMAND_NAME, FROM_PACKAGE } from '../core/package-layout.ts';
import { makeRoomForRun } from '../core/run-retention.ts';
import { loadScenarios } from '../core/load-scenarios.ts';
import { MEASUREMENTS } from '../measurements/measurement-list.ts';
import { browserMeasurement } from '../measurements/browser/browser-measurement.ts';
import { describeUserAgents } from '../results/remote-user-agents.ts';
import { DEFAULT_TARGET_FILE } from '../deploy/target/default-target-file.ts';
import { loadAnyTarget, remoteModeOf, TargetFileError, type LoadedTarget } from '../deploy/target/load-target.ts';
import { loadRemoteScenarios } from '../core/load-scenarios.ts';
import type { RemoteScenario } from '../core/remote-scenario.ts';
import { plannedRemoteCells, runRemoteBattery } from '../engine/run-remote-table.ts';
import { remoteCellOutcome, remoteScenarioId } from '../results/remote-cases.ts';
import { remoteDescriptions } from '../report/render-remote.ts';
import { stopAllChildren } from '../deploy/process/child-process.ts';
import { checkStores, parseReproOptions, USAGE, UsageError, type ReproOptions } from './repro-options.ts';
import { gateLine } from '../results/gate-verdict.ts';
import { judgeAgainstBaseline } from './baseline-gate.ts';
import { renderJunit, type JunitStartError, type JunitTarget } from '../report/junit.ts';
import { renderStepSummary } from '../report/step-summary.ts';
import { EXIT, targetExitCode, worstExitCode, type ExitCode } from './exit-code.ts';
import { createProgress } from './progress.ts';
import { checkOutputPaths, OutputPathError } from './output-paths.ts';
import { appendStepSummary } from './step-summary-file.ts';
import { asHarnessFolderError } from '../deploy/target/harness-folder.ts';
import { writeOutputAtomic } from '../core/atomic-output.ts';

/** Where the committed report's charts live, relative to the project root. */
const REPORT_CHARTS_BASE = 'harness/report/';

/** Instead of the gate's line when the run cannot vouch for itself: a pass of the cases that did run would read as the target's. */
const harnessFailedLine = (count: number, bound: number) =>
  `HARNESS FAILED: ${count} harness error(s), more than --max-harness-errors ${bound} allows (listed on stderr): the run cannot vouch for the cases it did not run; exit 2.`;

/** Every measurement, those named by --measurement, or none with --scenarios-only; the browser rows follow --browser / --no-browser. */
function chosenMeasurements(options: ReproOptions) {
  const isBrowser = (m: (typeof MEASUREMENTS)[number]) => m.id === browserMeasurement.id;
  if (options.measurements) return MEASUREMENTS.filter((m) => options.measurements!.includes(m.id));
  if (options.scenariosOnly) return options.browser ? MEASUREMENTS.filter(isBrowser) : [];
  return options.noBrowser ? MEASUREMENTS.filter((m) => !isBrowser(m)) : MEASUREMENTS;
}

// The one line that says what is wrong ends the output: the whole option list after it would bury it.
const usageError = (message: string) => {
  process.stderr.write(`repro: ${message}\nRun ${COMMAND_NAME} --help for every option.\n`);
  return EXIT.usage;
};

async function main(argv: string[]): Promise<number> {
  const [allScenarios, allRemoteScenarios] = await Promise.all([loadScenarios(), loadRemoteScenarios()]);
  let options: ReproOptions;
  let targets: LoadedTarget[];
  try {
    options = parseReproOptions(argv, { scenarios: [...allScenarios.map((s) => s.name), ...allRemoteScenarios.map((s) => remoteScenarioId(s.name))], measurements: MEASUREMENTS.map((m) => m.id) });
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.matched;
    }
    // Before the first write: runsRoot() and cacheRoot() read it, and every child inherits it.
    if (options.out) process.env.OAUTH_REPRO_RUNS_DIR = path.resolve(options.out);
    // Before anything starts (target files compile their entry points as they load): a path that cannot be written would otherwise fail after the whole run.
    checkOutputPaths({ junit: options.junit, stepSummary: process.env.GITHUB_STEP_SUMMARY });
    targets = [];
    for (const file of options.targets ?? [DEFAULT_TARGET_FILE]) targets.push(await loadAnyTarget(file));
    checkStores(options.stores, [...new Set(targets.flatMap((t) => Object.keys(t.target.stores)))]);
  } catch (error) {
    // A folder the harness writes on its own (runs, compile cache) is read-only: the environment's problem, not the options' or the target's.
    const folderError = asHarnessFolderError(error);
    if (folderError) {
      process.stderr.write(`repro: ${folderError.message}\n`);
      return EXIT.harnessFailed;
    }
    if (error instanceof TargetFileError || error instanceof OutputPathError) {
      process.stderr.write(`repro: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }

  const scenarios = options.scenarios ? allScenarios.filter((s) => options.scenarios!.includes(s.name)) : allScenarios;
  const remoteScenarios = options.scenarios ? allRemoteScenarios.filter((s) => options.scenarios!.includes(remoteScenarioId(s.name))) : allRemoteScenarios;
  // On a terminal a live line shows what runs; other writers to stderr go above it, not into it.
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const live = createProgress({ write: (chunk) => stderrWrite(chunk), isTTY: process.stderr.isTTY, columns: process.stderr.columns });
  if (process.stderr.isTTY) {
    process.stderr.write = ((chunk: string | Uint8Array) => {
      live.passThrough(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof process.stderr.write;
  }
  const progress = (message: string) => live.line(message);
  try {
    return await runTargets(options, argv, targets, scenarios, remoteScenarios, live, progress);
  } finally {
    live.stop();
    process.stderr.write = stderrWrite;
  }
}

async function runTargets(
  options: ReproOptions,
  argv: string[],
  targets: LoadedTarget[],
  scenarios: Awaited<ReturnType<typeof loadScenarios>>,
  remoteScenarios: readonly RemoteScenario[],
  live: ReturnType<typeof createProgress>,
  progress: (message: string) => void,
): Promise<number> {
  const command = FROM_PACKAGE ? ['oauth-state-repro', ...argv].join(' ') : options.full && argv.length === 1 ? 'npm run bench' : ['npm run repro', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  // Only a full default run speaks for the project (with --browser too: the same battery, its user played in Chromium); a filtered one, or another target's, stays in its run folder.
  // The installed package speaks for no project of its own: its reports stay in the run folder (latest/REPORT.md).
  const fullRun = !FROM_PACKAGE && !options.targets && !options.scenarios && !options.stores && options.flows === undefined && !options.scenariosOnly && !options.full && !options.noBrowser && !options.measurements;
  const codes: ExitCode[] = [];
  const junitTargets: JunitTarget[] = [];
  const startErrors: JunitStartError[] = [];
  makeRoomForRun(runsRoot(), options.keepRuns, progress);

  for (const loaded of targets) {
    const { target } = loaded;
    const stores = options.stores?.filter((store) => store in target.stores);
    if (options.stores && stores!.length === 0) {
      progress(`repro: ${target.name}: none of the stores asked for (${options.stores.join(', ')}); it has ${Object.keys(target.stores).join(', ')}: skipped`);
      continue;
    }
    const stdioCells = loaded.kind === 'stdio' ? plannedCells(scenarios, loaded.target, stores).length : 0;
    const remoteTarget = loaded.kind === 'remote' ? loaded.target : loaded.target.remote ? remoteModeOf(loaded.target) : undefined;
    const remoteRuns = remoteTarget ? remoteScenarios : [];
    const remoteCells = remoteTarget ? plannedRemoteCells(remoteRuns, remoteTarget, stores).length : 0;
    const total = stdioCells + remoteCells;
    progress(`repro: ${stdioCells ? `${stdioCells} scenario × store cells` : ''}${stdioCells && remoteCells ? ' and ' : ''}${remoteCells ? `${remoteCells} remote scenario × store cells` : ''} against ${target.name} (${path.relative(process.cwd(), target.source.file)})`);
    let done = 0;
    live.phase('cells', total);
    const measurements = loaded.kind === 'stdio' ? chosenMeasurements(options) : [];
    const onRemoteCell = (cell: Parameters<typeof remoteCellOutcome>[0]) => {
      done += 1;
      live.step();
      live.line(`[${done}/${total}] remote ${cell.scenario} × ${cell.store}: ${remoteCellOutcome(cell)} — ${cell.harnessError ? 'HARNESS ERROR' : cell.matched === true ? 'as expected' : cell.matched === false ? 'NOT as expected' : 'unknown'} (${(cell.durationMs / 1000).toFixed(1)} s; ${describeUserAgents(cell.flows)})`);
    };
    if (measurements.length) live.expectMeasurements(measurements.length);
    let outcome;
    try {
      outcome =
        loaded.kind === 'remote'
          ? await runRemoteBattery({ target: loaded.target, scenarios: remoteRuns, stores, flows: options.flows, parallel: options.parallel, command, keep: options.keep, conformance: !options.noConformance, browser: options.browser, onProgress: (message) => live.note(message), onCell: onRemoteCell })
          : await runBattery({
        target: loaded.target,
        remoteScenarios: remoteRuns,
        onRemoteCell,
        conformance: !options.noConformance,
        scenarios,
        stores,
        flows: options.flows,
        parallel: options.parallel,
        measurements,
        browser: options.browser,
        quick: !options.full,
        command,
        keep: options.keep,
        onProgress: (message) => live.note(message),
        onCell: (cell) => {
          done += 1;
          live.step();
          live.line(`[${done}/${total}] ${cell.scenario} × ${cell.store}: ${describeObserved(cell)} — ${matchMark(cell)} (${(cell.durationMs / 1000).toFixed(1)} s)`);
        },
      });
    } catch (error) {
      if (!(error instanceof TargetStartError)) throw error;
      process.stderr.write(`repro: ${error.message}\n`);
      startErrors.push({ target: target.name, message: error.message });
      codes.push(EXIT.harnessFailed);
      continue;
    }
    const { document, run } = outcome;
    const incidents = harnessIncidents(document);
    document.harnessIncidents = incidents;
    const tooManyIncidents = incidents.length > options.maxHarnessErrors;
    // The gate: against the target's verdict baseline when it has one; else rows against the expectations computed from its stores' profiles, and a diagnosis of its default store.
    const scenarioNames = [...(loaded.kind === 'stdio' ? scenarios.map((s) => s.name) : []), ...remoteRuns.map((s) => remoteScenarioId(s.name))];
    const gate = await judgeAgainstBaseline(options, target, document, scenarioNames, tooManyIncidents, progress);
    if (gate === 'usage') {
      codes.push(EXIT.usage);
      continue;
    }
    const { cases, verdict } = gate;
    document.gate = { expectations: gate.expectations, verdict, ...(gate.baseline ? { baseline: gate.baseline } : {}) };
    writeFileSync(path.join(run.dir, 'results.json'), `${JSON.stringify(document, null, 2)}\n`);
    junitTargets.push({ document, cases, verdict });
    if (process.env.GITHUB_STEP_SUMMARY) await appendStepSummary(process.env.GITHUB_STEP_SUMMARY, `${renderStepSummary(document, cases, verdict)}\n`);
    // vega is loaded only when there are charts to draw (~0.5 s of CPU at every start otherwise).
    const { writeChartFiles } = document.charts.length ? await import('../report/chart-files.ts') : { writeChartFiles: async () => [] };
    for (const failed of await writeChartFiles(document.charts, run.dir)) progress(`repro: chart ${failed.id} could not be drawn: ${failed.error}`);
    const descriptions = Object.fromEntries(scenarios.map((s) => [s.name, s.description]));
    const remoteNotes = remoteDescriptions(remoteRuns);
    writeFileSync(path.join(run.dir, 'REPORT.md'), renderReport(document, descriptions, '', remoteNotes));
    // A run the harness could not carry out in full does not replace the report: its holes would read as the target's.
    if (fullRun && !tooManyIncidents) await publishReport({ projectRoot: PROJECT_ROOT, base: REPORT_CHARTS_BASE, files: reportFiles(document, run.dir), markdown: renderReport(document, descriptions, REPORT_CHARTS_BASE, remoteNotes) });

    if (options.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    else {
      const where = fullRun && tooManyIncidents ? `REPORT.md left as it was (${incidents.length} harness error(s), --max-harness-errors ${options.maxHarnessErrors}); this run's report is in ${path.join(document.runDir, 'REPORT.md')}.` : fullRun ? 'REPORT.md updated.' : FROM_PACKAGE ? `Report in ${path.join(document.runDir, 'REPORT.md')}.` : `${options.full ? 'Bench run' : 'This run'}: report in ${path.join(document.runDir, 'REPORT.md')} (REPORT.md is written by the default npm run repro only).`;
      const said = [...gate.before, tooManyIncidents ? harnessFailedLine(incidents.length, options.maxHarnessErrors) : gateLine(verdict), ...gate.after].join('\n');
      process.stdout.write(`\n${targets.length > 1 ? `== ${target.name}\n` : ''}${renderSummaryTable(document)}\n${said}\n${where}\n`);
    }
    if (incidents.length > 0) {
      process.stderr.write(`repro: ${target.name}: ${incidents.length} harness error(s) (the harness's own trouble, not the target's; --max-harness-errors ${options.maxHarnessErrors}):\n${describeIncidents(incidents)}\n`);
    }
    codes.push(targetExitCode(incidents.length, verdict, options.maxHarnessErrors));
  }
  if (options.junit) {
    // Its folder was checked (and made, inside the project or the runs folder) before the run: checkOutputPaths.
    await writeOutputAtomic(path.resolve(options.junit), renderJunit(junitTargets, startErrors));
    progress(`repro: JUnit XML in ${options.junit}`);
  }
  return worstExitCode(codes);
}

main(process.argv.slice(2)).then(
  async (code) => {
    await stopAllChildren({ graceMs: 300 });
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(`repro: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopAllChildren({ graceMs: 300 });
    process.exitCode = EXIT.harnessFailed;
  },
);
