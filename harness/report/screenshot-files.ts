/** Copies the screenshots REPORT.md shows from a run folder next to the committed report (harness/report/browser/). */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ResultsDocument } from '../results/results-document.ts';
import { browserResult, reportScreenshots } from './render-browser.ts';

export function publishScreenshots(document: ResultsDocument, runDir: string, base: string): void {
  rmSync(path.join(base, 'browser'), { recursive: true, force: true });
  const raw = browserResult(document);
  if (!raw || raw.skipped) return;
  for (const shot of reportScreenshots(raw)) {
    const from = path.join(runDir, shot.file);
    if (!existsSync(from)) continue;
    const to = path.join(base, shot.file);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
}
