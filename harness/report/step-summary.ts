/**
 * The markdown a CI job page shows (appended to $GITHUB_STEP_SUMMARY): the
 * gate's verdict line, the scenario table as one row per scenario and one
 * column per store, the claims one line each, and what failed.
 */
import type { ResultsDocument } from '../results/results-document.ts';
import { gateLine, type GateCase, type GateVerdict } from '../results/gate-verdict.ts';
import { seconds } from './format.ts';

/** A table cell or a list line: no pipe, no newline may break the markdown around it. */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function scenarioMark(c: GateCase): string {
  if (c.status === 'pass') return `✅ ${c.observed}`;
  if (c.status === 'unknown') return `⚠️ could not be judged (${c.observed})`;
  return `❌ ${c.observed}, expected ${c.expected}`;
}

export function renderStepSummary(document: ResultsDocument, cases: readonly GateCase[], verdict: GateVerdict): string {
  const scenarioCases = cases.filter((c) => c.gateGroup === 'scenarios');
  const scenarios = [...new Set(scenarioCases.map((c) => c.id))];
  const stores = [...new Set(scenarioCases.map((c) => c.store))];
  const table = scenarios.length
    ? [
        `| scenario | ${stores.map(cell).join(' | ')} |`,
        `|---|${stores.map(() => '---').join('|')}|`,
        ...scenarios.map((scenario) => `| ${cell(scenario)} | ${stores.map((store) => {
          const found = scenarioCases.find((c) => c.id === scenario && c.store === store);
          return found ? cell(scenarioMark(found)) : '–';
        }).join(' | ')} |`),
      ]
    : ['No scenario cells ran.'];
  const claims = document.claims.map((claim) => `- **${claim.id}** ${cell(claim.verdict)}: ${cell(clip(claim.figure, 100))}`);
  const failures = verdict.failures.slice(0, 20).map((c) => `- \`${cell(c.id)} × ${cell(c.store)}\` (${c.gateGroup}): ${cell(clip(c.status === 'unknown' ? `could not be judged: ${c.evidence}` : c.evidence, 200))}`);
  return [
    `### oauth-state-repro: ${cell(document.target)}`,
    '',
    `**${verdict.passed ? '✅' : '❌'} ${cell(gateLine(verdict))}**`,
    '',
    `${document.verdict.matched} of ${document.cells.length} scenario × store cells as expected; wall time ${seconds(document.wallMs)}; results in \`${document.runDir}\`.`,
    '',
    ...table,
    ...(claims.length ? ['', "The write-up's claims:", '', ...claims] : []),
    ...(failures.length ? ['', 'What failed:', '', ...failures, ...(verdict.failures.length > 20 ? [`- … and ${verdict.failures.length - 20} more (see the JUnit file or results.json)`] : [])] : []),
    '',
  ].join('\n');
}
