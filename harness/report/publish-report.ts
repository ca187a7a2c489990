/**
 * Publishes a run as the committed report: REPORT.md at the project root,
 * its charts and screenshots beside the report code (harness/report/charts,
 * harness/report/browser). Each is replaced whole, never emptied first: the
 * new folders are filled aside and swapped in by rename, then REPORT.md is
 * replaced by rename, so a harness killed at any moment leaves the previous
 * REPORT.md readable and complete (at worst beside the newer charts).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { writeOutputAtomic } from '../core/atomic-output.ts';
import { removeFolder } from '../core/remove-folder.mjs';
import type { ResultsDocument } from '../results/results-document.ts';
import { browserResult, reportScreenshots } from './render-browser.ts';

/** A file to publish: where it is now, and its path under the report's base ("charts/c8.svg"). */
export interface PublishedFile {
  from: string;
  to: string;
}

export interface PublishInput {
  projectRoot: string;
  /** Where the charts and screenshots go, relative to the project root ("harness/report/"). */
  base: string;
  /** Files to copy, each under one of REPORT_FOLDERS. */
  files: readonly PublishedFile[];
  markdown: string;
}

const STAGING_PREFIX = '.publishing-';

/** The folders under the base that the committed report owns and replaces whole. */
export const REPORT_FOLDERS = ['charts', 'browser'] as const;

/** The files REPORT.md shows: its charts (drawn into `chartsDir`, the run folder by default) and its screenshots (in the run folder). */
export function reportFiles(document: ResultsDocument, runDir: string, chartsDir = runDir): PublishedFile[] {
  const files = document.charts.map((chart) => ({ from: path.join(chartsDir, chart.file), to: chart.file }));
  const raw = browserResult(document);
  if (raw && !raw.skipped) files.push(...reportScreenshots(raw).map((shot) => ({ from: path.join(runDir, shot.file), to: shot.file })));
  return files;
}

export async function publishReport(input: PublishInput): Promise<void> {
  const base = path.join(input.projectRoot, input.base);
  mkdirSync(base, { recursive: true });
  // A publish that was killed leaves its staging folder: it is only ever garbage.
  for (const entry of readdirSync(base)) if (entry.startsWith(STAGING_PREFIX)) removeFolder(path.join(base, entry));
  const staging = path.join(base, `${STAGING_PREFIX}${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    for (const { from, to: relative } of input.files) {
      if (!existsSync(from)) continue;
      const to = path.join(staging, 'new', relative);
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
    mkdirSync(path.join(staging, 'old'), { recursive: true });
    for (const folder of REPORT_FOLDERS) {
      const current = path.join(base, folder);
      if (existsSync(current)) renameSync(current, path.join(staging, 'old', folder));
      const fresh = path.join(staging, 'new', folder);
      if (existsSync(fresh)) renameSync(fresh, current);
    }
    await writeOutputAtomic(path.join(input.projectRoot, 'REPORT.md'), input.markdown);
  } finally {
    removeFolder(staging);
  }
}
