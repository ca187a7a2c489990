/**
 * REPORT.md's first screen: the three questions a reader
 * comes with, answered in about 40 lines. Is the bug reproduced, on which
 * target, in how long; which claims hold (one line each); what to ship per
 * deployment kind. Everything longer is in the sections below it.
 */
import { publishedValue } from '../measurements/published-values.ts';
import { REMOTE_SECTION } from './render-remote.ts';
import type { CellResult } from '../core/cell-result.ts';
import type { ClaimRow } from '../measurements/measure-context.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { escapeCell, seconds, targetLine } from './format.ts';
import { headline } from './headline.ts';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

/** The headings of the detail sections, linked from the first screen. */
export const SECTION = {
  scenarios: 'Scenarios × stores',
  claims: "The write-up's claims in full",
  charts: 'Charts',
  grading: 'Which fix to ship',
  reliability: 'Reliability and security',
  browser: 'What the user sees',
} as const;

export const claimHeading = (claim: ClaimRow) => `${claim.id}: ${claim.claim.replace(/\s+/g, ' ')}`;

/** Cells where the callback could not find the state: the bug itself. */
export function reproducingCells(cells: readonly CellResult[]): CellResult[] {
  return cells.filter((cell) => cell.observed?.outcome === 'fail' && cell.observed.stage === 'state-lookup');
}

function where(cells: readonly CellResult[]): string {
  const byStore = new Map<string, string[]>();
  for (const cell of cells) byStore.set(cell.store, [...(byStore.get(cell.store) ?? []), cell.scenario]);
  // Stores failing in the same scenarios read as one phrase: "json-file, atomic-file and sqlite in isolated".
  const byScenarios = new Map<string, string[]>();
  for (const [store, scenarios] of byStore) {
    const key = scenarios.join(', ');
    byScenarios.set(key, [...(byScenarios.get(key) ?? []), store]);
  }
  const and = (list: string[]) => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);
  return [...byScenarios].map(([scenarios, stores]) => `${and(stores.map((s) => `\`${s}\``))} in ${and(scenarios.split(', '))}`).join('; ');
}

export function verdictParagraph(document: ResultsDocument): string {
  const { cells } = document;
  // The stdio table's own counts: the document's verdict counts the remote table too, which has a paragraph of its own.
  const verdict = {
    harnessErrors: cells.filter((cell) => cell.harnessError).length,
    mismatched: cells.filter((cell) => cell.matched === false).length,
    unknown: cells.filter((cell) => cell.matched === 'unknown').length,
  };
  const reproducing = reproducingCells(cells);
  const message = reproducing.flatMap((cell) => cell.errors.filter((e) => e.stage === 'state-lookup').map((e) => e.message))[0];
  const quickest = [...reproducing].sort((a, b) => a.durationMs - b.durationMs)[0];
  const target = `on target ${targetLine(document).replace(/^Target: /, '')}`;
  const run = `The run took ${seconds(document.wallMs)} (\`${document.environment.command}\`, ${document.environment.date.slice(0, 10)})`;
  const expectation =
    verdict.harnessErrors > 0
      ? `${verdict.harnessErrors} of ${cells.length} cells could not run (harness error; see the run's logs)`
      : verdict.mismatched > 0 || verdict.unknown > 0
        ? `**${verdict.mismatched} of ${cells.length} scenario × store cells did not behave as their scenario expects**${verdict.unknown ? ` (${verdict.unknown} could not be judged)` : ''}`
        : `all ${cells.length} scenario × store cells behaved as their scenarios expect`;
  if (!quickest) {
    return `**Not reproduced** ${target}: no cell's callback failed to find its state; ${expectation}. ${run}.`;
  }
  return [
    `**Reproduced** ${target}: the callback could not find the OAuth state in ${reproducing.length} of ${cells.length} scenario × store cells`,
    message ? ` (the user saw \`${message}\`)` : '',
    `: ${where(reproducing)}; ${expectation}. `,
    `${run}; the quickest cell that reproduces it (${quickest.scenario} × ${quickest.store}) took ${seconds(quickest.durationMs)}.`,
  ].join('');
}

/** The glance table's last column in a quick run: what the bench would add to this verdict's evidence. */
const benchAdds = (claim: ClaimRow) => (claim.evidence?.run !== 'quick' ? '–' : claim.evidence.benchAdds ? escapeCell(headline(claim.evidence.benchAdds, 70)) : 'nothing');

/** The remote table at a glance: where state was lost across replicas, and whether every cell behaved as its scenario expects. */
export function remoteParagraph(document: ResultsDocument): string | undefined {
  const cells = document.remoteCells ?? [];
  if (cells.length === 0) return undefined;
  const broke = cells.filter((cell) => Object.keys(cell.lost).length > 0);
  const byStore = new Map<string, string[]>();
  for (const cell of broke) byStore.set(cell.store, [...(byStore.get(cell.store) ?? []), cell.scenario]);
  const where = [...byStore].map(([store, scenarios]) => `\`${store}\` in ${scenarios.join(', ')}`).join('; ');
  const passedAll = [...new Set(cells.map((cell) => cell.store))].filter((store) => cells.filter((cell) => cell.store === store).every((cell) => cell.flows.length > 0 && cell.completed === cell.flows.length));
  const mismatched = cells.filter((cell) => cell.matched !== true);
  const expectation = mismatched.length
    ? `**${mismatched.length} of ${cells.length} remote cells did not behave as their scenario expects** (${mismatched.map((cell) => `${cell.scenario} × ${cell.store}`).join(', ')})`
    : `all ${cells.length} remote cells behaved as their scenarios expect`;
  const lost = broke.length ? `a flow lost its state on another replica (or across a restart) in ${broke.length} of ${cells.length} cells: ${where}` : 'no flow lost its state';
  return `**Remote server, replicas behind a load balancer:** ${lost}; ${passedAll.length ? `${passedAll.map((store) => `\`${store}\``).join(', ')} completed every flow of every remote scenario` : 'no store completed every remote scenario'}; ${expectation}. Details: [${REMOTE_SECTION}](#${githubSlug(REMOTE_SECTION)}).`;
}

export function renderFirstScreen(document: ResultsDocument): string[] {
  const remote = remoteParagraph(document);
  const lines = [...(document.cells.length ? [verdictParagraph(document), ''] : []), ...(remote ? [remote, ''] : [])];
  if (document.claims.length > 0) {
    lines.push('## The write-up\'s claims at a glance', '');
    const quick = document.claims.some((claim) => claim.evidence?.run === 'quick');
    lines.push(
      `| id | claim | verdict | key figure | why / only if |${quick ? ' `npm run bench` adds |' : ''}`,
      `|---|---|---|---|---|${quick ? '---|' : ''}`,
    );
    for (const claim of document.claims) {
      const verdict = claim.verdict === 'holds' ? 'holds' : claim.verdict === 'holds only under stated conditions' ? '**only under conditions**' : `**${claim.verdict}**`;
      lines.push(`| [${claim.id}](#${githubSlug(claimHeading(claim))}) | ${escapeCell(claim.claim)} | ${verdict} | ${escapeCell(headline(claim.figure))} | ${claim.conditions ? escapeCell(headline(claim.conditions)) : '–'} |${quick ? ` ${benchAdds(claim)} |` : ''}`);
    }
    lines.push('');
  }
  const recommendations = document.grading?.recommendations ?? [];
  if (recommendations.length > 0) {
    lines.push('## What to ship', '');
    for (const r of recommendations) lines.push(`- **${r.scope}: ${r.store ? `\`${r.store}\`` : 'none'}**: ${headline(r.why)}`);
    lines.push('');
  }
  const sections = [
    ...(document.cells.length ? [SECTION.scenarios] : []),
    ...(document.remoteCells?.length ? [REMOTE_SECTION] : []),
    ...(publishedValue(document.measurements, 'browser') ? [SECTION.browser] : []),
    ...(document.claims.length ? [SECTION.claims] : []),
    ...(document.charts.length ? [SECTION.charts] : []),
    ...(document.grading ? [SECTION.grading] : []),
    ...(document.reliability.length ? [SECTION.reliability] : []),
  ];
  lines.push(`Details below: ${sections.map((title) => `[${title}](#${githubSlug(title)})`).join(' · ')}.`, '');
  return lines;
}
