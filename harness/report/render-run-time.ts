/**
 * "Where this run's time went": the run's phases and each measurement's
 * wall time, as the run recorded them (results.json `phases` and each
 * measurement's `startMs` / `durationMs`). A person who wonders why a
 * default run takes minutes sees which part costs what, which parts ran
 * side by side, and that `npm run bench` runs the long versions.
 */
import type { MeasurementRecord } from '../measurements/measurement.ts';
import type { ResultsDocument } from '../results/results-document.ts';

import { seconds } from './format.ts';

/** The phases in one line for the terminal ("setup 3.1 s, table 25.0 s, …"), or undefined for a document without them. */
export function phasesLine(document: Pick<ResultsDocument, 'phases'>): string | undefined {
  const phases = document.phases;
  if (!phases) return undefined;
  return [
    `setup ${seconds(phases.setupMs)}`,
    `table ${seconds(phases.tableMs)}`,
    ...(phases.measurementsMs > 0 ? [`measurements ${seconds(phases.measurementsMs)}`] : []),
    `teardown ${seconds(phases.teardownMs)}`,
  ].join(', ');
}

/** The measurements that were running at some moment of this one's run (their intervals intersect). */
export function ranBeside(record: MeasurementRecord, all: readonly MeasurementRecord[]): string[] {
  if (record.startMs === undefined || record.durationMs === 0) return [];
  const end = record.startMs + record.durationMs;
  return all
    .filter((other) => other !== record && other.startMs !== undefined && other.durationMs > 0)
    .filter((other) => other.startMs! < end && record.startMs! < other.startMs! + other.durationMs)
    .map((other) => other.id);
}

function status(record: MeasurementRecord): string {
  if (record.notApplicable) return 'not applicable to this target';
  if (record.error) return 'could not run (see "Measurements that could not run")';
  return record.quick ? 'quick' : 'long (bench)';
}

export function renderRunTime(document: Pick<ResultsDocument, 'wallMs' | 'phases' | 'cells' | 'measurements'>): string[] {
  const lines = ["## Where this run's time went", ''];
  const { phases } = document;
  const parts = phases
    ? [
        `setup ${seconds(phases.setupMs)} (redis, the mock Atlassian server, the target's build, the preflight flows, Chromium when used)`,
        `the scenario table ${seconds(phases.tableMs)} (${document.cells.length} cells, each starting and stopping its own processes)`,
        ...(phases.measurementsMs > 0 ? [`the measurements ${seconds(phases.measurementsMs)}`] : []),
        `stopping what was left ${seconds(phases.teardownMs)}`,
      ]
    : [];
  lines.push(`${seconds(document.wallMs)} in all${parts.length ? `: ${parts.join('; ')}` : ''}.`, '');
  const measured = document.measurements;
  if (measured.length === 0) return lines;
  lines.push(
    'The measurements that time something run alone first; the others two at a time, so their times overlap and add up to more than the phase.',
    '',
    '| measurement | started (s into the measurements) | wall | ran beside | version |',
    '|---|---|---|---|---|',
  );
  const ordered = [...measured].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
  for (const record of ordered) {
    const beside = ranBeside(record, measured);
    // A measurement that did not run, or a document from before starts were recorded, has no place in time.
    const placed = record.startMs !== undefined && !record.notApplicable;
    const wall = record.notApplicable ? '–' : seconds(record.durationMs);
    const started = placed ? (record.startMs! / 1000).toFixed(1) : '–';
    lines.push(`| ${record.id} | ${started} | ${wall} | ${beside.join(', ') || (placed ? 'alone' : '–')} | ${status(record)} |`);
  }
  lines.push('');
  const quick = measured.some((record) => record.quick);
  lines.push(
    quick
      ? "These are the quick versions, with the sample sizes each claim states; `npm run bench` runs the long ones (minutes each). README's *Speed* section measures where a default run's time goes and why it is not shorter on 2 cores."
      : 'These are the long versions (`npm run bench`).',
    '',
  );
  return lines;
}
