/**
 * harness/report/: REPORT.md, the terminal summary and the charts, rendered from the results document.
 *
 * REPORT.md, rendered from the results document alone: every figure and
 * verdict in it comes from the run that wrote it.
 */
import { publishedValue } from '../measurements/published-values.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { renderCharts, renderClaims, renderReliability } from './render-claims.ts';
import { renderFirstScreen, SECTION } from './render-first-screen.ts';
import { renderRemoteTable } from './render-remote.ts';
import { renderGrading } from './render-grading.ts';
import { renderScenarioTables } from './render-scenarios.ts';
import { renderBrowser } from './render-browser.ts';
import { renderRunTime } from './render-run-time.ts';
import { renderStoreBench } from './render-store-bench.ts';
import { escapeCell, pids, seconds, unhandledRequestsLine } from './format.ts';

/**
 * The first screen answers the reader's three questions (render-first-screen.ts);
 * the detail follows, and no table cell carries a paragraph.
 */
export function renderReport(document: ResultsDocument, scenarioDescriptions: Record<string, string>, chartBase = '', remoteScenarioDescriptions: Record<string, string> = {}): string {
  const { environment: env } = document;
  const lines: string[] = [];
  lines.push('# OAuth state across processes: verification report', '');
  const unhandled = unhandledRequestsLine(document.mockUnhandledRequests);
  if (unhandled) lines.push(`**${unhandled}**`, '');
  if (document.isolation?.caveat) lines.push(`**Caveat:** ${document.isolation.caveat}.`, '');
  lines.push(...renderFirstScreen(document));
  if (document.cells.length) lines.push(...renderScenarioTables(document.cells, scenarioDescriptions, SECTION.scenarios));
  lines.push(...renderRemoteTable(document.remoteCells, remoteScenarioDescriptions, document.writeUpStores, {
    load: publishedValue(document.measurements, 'remote-load'),
    ttl: publishedValue(document.measurements, 'remote-ttl'),
    footprint: publishedValue(document.measurements, 'remote-footprint'),
  }));
  lines.push(...renderBrowser(document, chartBase));
  lines.push(...renderClaims(document.claims, SECTION.claims));
  lines.push(...renderCharts(document.charts, chartBase));
  lines.push(...renderGrading(document));
  const footprint = publishedValue(document.measurements, 'store-footprint');
  const latency = publishedValue(document.measurements, 'store-latency');
  lines.push(...renderStoreBench(footprint && latency ? { footprint, latency } : undefined, latency?.quick ?? true));
  lines.push(...renderReliability(document.reliability));
  const crashed = document.measurements.filter((record) => record.error);
  if (crashed.length > 0) {
    lines.push('## Measurements that could not run', '');
    for (const record of crashed) lines.push(`- \`${record.id}\`: ${escapeCell(record.error ?? '')}`);
    lines.push('');
  }
  lines.push(...renderRunTime(document));
  if (document.cells.length) {
    lines.push('## Processes of this run', '');
    lines.push('| scenario | store | processes (role pid) | cell wall time (ms) |', '|---|---|---|---|');
    for (const cell of document.cells) lines.push(`| ${cell.scenario} | ${cell.store} | ${pids(cell)} | ${cell.durationMs} |`);
    lines.push('');
  }
  lines.push('## How this run was made', '');
  lines.push(`- Commit \`${env.commit}\`${env.dirty ? ' (with uncommitted changes)' : ''}, ${env.date}`);
  lines.push(`- Node ${env.node} on ${env.os}, ${env.cpus} × ${env.cpu}`);
  lines.push(`- Command: \`${env.command}\`; wall time ${seconds(document.wallMs)}`);
  lines.push('');
  lines.push('## Rerun it', '');
  lines.push('```sh', 'npm ci && npm run repro          # all scenarios × stores; rewrites this file', 'npm run repro -- --scenario split-process --store memory --flows 20', 'npm test                          # the CI gate: one test per scenario × store', '```', '');
  lines.push('Each run keeps its history, results and every process\'s log under `runs/<timestamp>/` (`runs/latest` is the newest).', '');
  return `${lines.join('\n')}`;
}
