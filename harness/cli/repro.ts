/**
 * harness/cli/: the entry points (npm run repro, npm run bench, fresh-clone-check).
 *
 * `npm run repro`: run the battery, print progress and a summary table,
 * write the results document and REPORT.md, exit by the verdict.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeChartFiles } from '../report/chart-files.ts';
import path from 'node:path';
import { renderReport } from '../report/render-report.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { renderSummaryTable } from '../report/summary-table.ts';
import { describeObserved, matchMark } from '../report/format.ts';
import { plannedCells, runBattery } from '../engine/run-battery.ts';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { loadScenarios } from '../core/load-scenarios.ts';
import { MEASUREMENTS } from '../measurements/measurement-list.ts';
import { defaultTarget } from '../deploy/target/default-target.ts';
import { parseReproOptions, USAGE, UsageError } from './repro-options.ts';

/** Where the committed report's charts live, relative to the project root. */
const REPORT_CHARTS_BASE = 'harness/report/';

const EXIT = { matched: 0, mismatch: 1, harnessFailed: 2, usage: 64 } as const;

/** The committed REPORT.md, with its charts copied to harness/report/charts/ (the run's own copies stay in the run folder). */
function publishReport(document: ResultsDocument, descriptions: Record<string, string>, runDir: string): void {
  const chartsDir = path.join(PROJECT_ROOT, REPORT_CHARTS_BASE, 'charts');
  rmSync(chartsDir, { recursive: true, force: true });
  mkdirSync(chartsDir, { recursive: true });
  for (const chart of document.charts) {
    if (existsSync(path.join(runDir, chart.file))) copyFileSync(path.join(runDir, chart.file), path.join(PROJECT_ROOT, REPORT_CHARTS_BASE, chart.file));
  }
  writeFileSync(path.join(PROJECT_ROOT, 'REPORT.md'), renderReport(document, descriptions, REPORT_CHARTS_BASE));
}

async function main(argv: string[]): Promise<number> {
  const target = defaultTarget;
  const allScenarios = await loadScenarios();
  let options;
  try {
    options = parseReproOptions(argv, { scenarios: allScenarios.map((s) => s.name), stores: Object.keys(target.stores) });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`repro: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.matched;
  }
  const scenarios = options.scenarios ? allScenarios.filter((s) => options.scenarios!.includes(s.name)) : allScenarios;
  const total = plannedCells(scenarios, target, options.stores).length;
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  progress(`repro: ${total} scenario × store cells against ${target.name}`);
  let done = 0;
  const command = options.full && argv.length === 1 ? 'npm run bench' : ['npm run repro', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  const { document, run } = await runBattery({
    target,
    scenarios,
    stores: options.stores,
    flows: options.flows,
    parallel: options.parallel,
    measurements: options.scenariosOnly ? [] : MEASUREMENTS,
    quick: !options.full,
    command,
    onProgress: (message) => progress(`  … ${message}`),
    onCell: (cell) => {
      done += 1;
      progress(`[${done}/${total}] ${cell.scenario} × ${cell.store}: ${describeObserved(cell)} — ${matchMark(cell)} (${(cell.durationMs / 1000).toFixed(1)} s)`);
    },
  });

  for (const failed of await writeChartFiles(document.charts, run.dir)) progress(`repro: chart ${failed.id} could not be drawn: ${failed.error}`);
  const descriptions = Object.fromEntries(scenarios.map((s) => [s.name, s.description]));
  const report = renderReport(document, descriptions);
  writeFileSync(path.join(run.dir, 'REPORT.md'), report);
  // Only a full default run speaks for the project; a filtered one stays in its run folder.
  const fullRun = !options.scenarios && !options.stores && options.flows === undefined && !options.scenariosOnly && !options.full;
  if (fullRun) publishReport(document, descriptions, run.dir);

  if (options.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(`\n${renderSummaryTable(document)}\n${fullRun ? 'REPORT.md updated.' : `${options.full ? 'Bench run' : 'Filtered run'}: report in ${path.join(document.runDir, 'REPORT.md')} (REPORT.md is written by the default npm run repro only).`}\n`);

  if (document.verdict.harnessErrors > 0 || document.verdict.measurementErrors > 0) return EXIT.harnessFailed;
  return document.verdict.allMatched ? EXIT.matched : EXIT.mismatch;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`repro: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.harnessFailed;
  },
);
