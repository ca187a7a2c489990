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
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOutputAtomic } from '../core/atomic-output.ts';
import { removeFolder } from '../core/remove-folder.mjs';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { loadRemoteScenarios, loadScenarios } from '../core/load-scenarios.ts';
import { remoteDescriptions } from './render-remote.ts';
import type { ChartArtifact } from '../measurements/measure-context.ts';
import { checkAgain } from '../measurements/check-again.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { writeChartFiles } from './chart-files.ts';
import { publishReport, reportFiles } from './publish-report.ts';
import { renderReport } from './render-report.ts';

const USAGE = 'usage: npm run render-report -- runs/<dir> [--run-folder]';
/** Where the committed report's charts live, relative to the project root (as in harness/cli/repro.ts). */
const REPORT_CHARTS_BASE = 'harness/report/';

export function redrawnCharts(document: ResultsDocument): ChartArtifact[] {
  const { charts } = checkAgain(document.measurements, document.cells, document.writeUpStores);
  return document.charts.map((stored) => {
    const spec = charts.find((chart) => chart.id === stored.id);
    // A chart today's check no longer draws (or data of an older schema) stays as that run drew it.
    return spec ? { ...stored, title: spec.input.title, input: spec.input } : stored;
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
  const remoteNotes = remoteDescriptions(await loadRemoteScenarios());
  const redrawn = { ...document, charts, measurements: checkAgain(document.measurements, document.cells, document.writeUpStores).records };
  const reportFile = toRunFolder ? path.join(runDir, 'REPORT.md') : path.join(PROJECT_ROOT, 'REPORT.md');
  if (toRunFolder) {
    for (const failed of await writeChartFiles(charts, runDir)) process.stderr.write(`render-report: chart ${failed.id} could not be drawn: ${failed.error}\n`);
    await writeOutputAtomic(reportFile, renderReport(redrawn, descriptions, '', remoteNotes));
  } else {
    // Drawn aside, then published whole: the committed report is never left half-replaced.
    const drawn = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-charts-'));
    try {
      for (const failed of await writeChartFiles(charts, drawn)) process.stderr.write(`render-report: chart ${failed.id} could not be drawn: ${failed.error}\n`);
      await publishReport({ projectRoot: PROJECT_ROOT, base: REPORT_CHARTS_BASE, files: reportFiles(redrawn, runDir, drawn), markdown: renderReport(redrawn, descriptions, REPORT_CHARTS_BASE, remoteNotes) });
    } finally {
      removeFolder(drawn);
    }
  }
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
