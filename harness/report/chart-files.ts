/**
 * Draws a run's charts (data in the results document) into SVG files under
 * a folder: the run folder, or harness/report/ for the committed report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChartArtifact } from '../measurements/measure-context.ts';
import { renderLineChartSvg } from './line-chart.ts';

/** Returns the charts that could not be drawn, with why; the others are written. */
export async function writeChartFiles(charts: readonly ChartArtifact[], base: string): Promise<{ id: string; error: string }[]> {
  const failed: { id: string; error: string }[] = [];
  for (const chart of charts) {
    const file = path.join(base, chart.file);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await renderLineChartSvg(chart.input));
    } catch (error) {
      failed.push({ id: chart.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return failed;
}
