/**
 * harness/report/: REPORT.md, the terminal summary and the charts, rendered from the results document.
 *
 * REPORT.md, rendered from the results document alone: every figure and
 * verdict in it comes from the run that wrote it.
 */
import type { ResultsDocument } from '../results/results-document.ts';
import { renderCharts, renderClaims, renderReliability } from './render-claims.ts';
import { renderGrading } from './render-grading.ts';
import { renderStoreBench } from './render-store-bench.ts';
import { describeExpectation, describeObserved, errorsLine, matchMark, ms, pids, targetLine, unhandledRequestsLine, verdictLine } from './format.ts';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(document: ResultsDocument, scenarioDescriptions: Record<string, string>, chartBase = ''): string {
  const { verdict, environment: env } = document;
  const lines: string[] = [];
  lines.push('# OAuth state across processes: verification report', '');
  lines.push(`**${verdictLine(verdict.matched, document.cells.length, verdict.mismatched, verdict.harnessErrors, verdict.unknown)}**`, '');
  lines.push(`${targetLine(document)}.`, '');
  const unhandled = unhandledRequestsLine(document.mockUnhandledRequests);
  if (unhandled) lines.push(`**${unhandled}**`, '');
  if (document.isolation?.caveat) lines.push(`**Caveat:** ${document.isolation.caveat}.`, '');
  lines.push('| scenario | store | expected | observed | verdict | flows | state lookups ok / failed | token hand-off ok / failed | flow p50 / p95 (ms) | errors the user saw |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const cell of document.cells) {
    lines.push(
      `| ${cell.scenario} | ${cell.store} | ${describeExpectation(cell.expected)} | ${describeObserved(cell)} | ${matchMark(cell)} | ${cell.flows} | ${cell.stateLookups.ok} / ${cell.stateLookups.failed} | ${cell.tokenHandoffs.ok} / ${cell.tokenHandoffs.failed} | ${ms(cell.latencyMs.p50)} / ${ms(cell.latencyMs.p95)} | ${escapeCell(errorsLine(cell))} |`,
    );
  }
  lines.push('');
  lines.push(
    'Each row is one scenario run against one session store through real OS processes: an MCP client calls `start_oauth` on the tool process, a user agent follows the authorize URL on the mock Atlassian server and its redirect to `/oauth/callback`, then `jira_whoami` shows whether the token reached the tool process. *Expected* is declared by the scenario file; *observed* is read from the run\'s history by the checkers.',
    '',
  );
  lines.push(...renderClaims(document.claims));
  lines.push(...renderCharts(document.charts, chartBase));
  const bench = document.measurements.find((m) => m.id === 'store-bench' && !m.error);
  lines.push(...renderStoreBench(bench?.raw as Parameters<typeof renderStoreBench>[0], bench?.quick ?? true));
  lines.push(...renderGrading(document));
  lines.push(...renderReliability(document.reliability));
  const crashed = document.measurements.filter((record) => record.error);
  if (crashed.length > 0) {
    lines.push('## Measurements that could not run', '');
    for (const record of crashed) lines.push(`- \`${record.id}\`: ${escapeCell(record.error ?? '')}`);
    lines.push('');
  }
  lines.push('## Scenarios', '');
  for (const [name, description] of Object.entries(scenarioDescriptions)) lines.push(`- \`${name}\`: ${description}`);
  lines.push('');
  lines.push('## Processes of this run', '');
  lines.push('| scenario | store | processes (role pid) | cell wall time (ms) |', '|---|---|---|---|');
  for (const cell of document.cells) lines.push(`| ${cell.scenario} | ${cell.store} | ${pids(cell)} | ${cell.durationMs} |`);
  lines.push('');
  lines.push('## How this run was made', '');
  lines.push(`- Commit \`${env.commit}\`${env.dirty ? ' (with uncommitted changes)' : ''}, ${env.date}`);
  lines.push(`- Node ${env.node} on ${env.os}, ${env.cpus} × ${env.cpu}`);
  lines.push(`- Command: \`${env.command}\`; wall time ${(document.wallMs / 1000).toFixed(1)} s`);
  lines.push('');
  lines.push('## Rerun it', '');
  lines.push('```sh', 'npm ci && npm run repro          # all scenarios × stores; rewrites this file', 'npm run repro -- --scenario split-process --store memory --flows 20', 'npm test                          # the CI gate: one test per scenario × store', '```', '');
  lines.push('Each run keeps its history, results and every process\'s log under `runs/<timestamp>/` (`runs/latest` is the newest).', '');
  return `${lines.join('\n')}`;
}
