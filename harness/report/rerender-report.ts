/**
 * `npm run render-report -- runs/<dir>`: REPORT.md and its charts drawn again
 * from a run's results.json, without running anything. For a change to the
 * report or a chart's style: the charts are rebuilt from the measurements'
 * raw data by today's chart producers (a results.json keeps the inputs its
 * run drew, in the style of its day), falling back on the stored input when a
 * measurement has no raw data or no longer draws that chart.
 *
 * Writes the committed REPORT.md and harness/report/charts/ (as a default
 * `npm run repro` does), or with --run-folder the run folder's own copies.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { loadScenarios } from '../core/load-scenarios.ts';
import type { ChartArtifact } from '../measurements/measure-context.ts';
import { MEASUREMENTS } from '../measurements/measurement-list.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { writeChartFiles } from './chart-files.ts';
import { publishScreenshots } from './screenshot-files.ts';
import { renderReport } from './render-report.ts';

const USAGE = 'usage: npm run render-report -- runs/<dir> [--run-folder]';
/** Where the committed report's charts live, relative to the project root (as in harness/cli/repro.ts). */
const REPORT_CHARTS_BASE = 'harness/report/';

export function redrawnCharts(document: ResultsDocument): ChartArtifact[] {
  return document.charts.map((stored) => {
    for (const record of document.measurements) {
      const measurement = MEASUREMENTS.find((m) => m.id === record.id);
      if (!measurement?.charts || record.raw === undefined || record.error) continue;
      try {
        const spec = measurement.charts(record.raw as never).find((chart) => chart.id === stored.id);
        if (spec) return { ...stored, title: spec.input.title, input: spec.input };
      } catch {
        // Raw data from an older schema: keep the chart as that run drew it.
      }
    }
    return stored;
  });
}

async function main(argv: string[]): Promise<number> {
  const runDir = argv.find((arg) => !arg.startsWith('--'));
  if (!runDir || argv.some((arg) => arg.startsWith('--') && arg !== '--run-folder')) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const toRunFolder = argv.includes('--run-folder');
  const document = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsDocument;
  const charts = redrawnCharts(document);
  const descriptions = Object.fromEntries((await loadScenarios()).map((s) => [s.name, s.description]));
  const chartsRoot = toRunFolder ? runDir : path.join(PROJECT_ROOT, REPORT_CHARTS_BASE);
  if (!toRunFolder) {
    rmSync(path.join(chartsRoot, 'charts'), { recursive: true, force: true });
    mkdirSync(path.join(chartsRoot, 'charts'), { recursive: true });
    publishScreenshots(document, runDir, chartsRoot);
  }
  for (const failed of await writeChartFiles(charts, chartsRoot)) process.stderr.write(`render-report: chart ${failed.id} could not be drawn: ${failed.error}\n`);
  const report = renderReport({ ...document, charts }, descriptions, toRunFolder ? '' : REPORT_CHARTS_BASE);
  const reportFile = toRunFolder ? path.join(runDir, 'REPORT.md') : path.join(PROJECT_ROOT, 'REPORT.md');
  writeFileSync(reportFile, report);
  process.stderr.write(`render-report: wrote ${path.relative(process.cwd(), reportFile)} and ${charts.length} chart(s) from ${path.join(runDir, 'results.json')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`render-report: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
