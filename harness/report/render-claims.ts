/** The claims in full, the charts and the reliability section of REPORT.md. */
import type { ChartArtifact, ClaimRow, ReliabilityRow } from '../measurements/measure-context.ts';
import { describeTally, isVerdict, tallyCases } from '../measurements/case-tally.ts';
import { headline } from './headline.ts';
import { claimHeading } from './render-first-screen.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** A table cell's detail: the full text is in the section's <details> block. */
const CELL_DETAIL_BUDGET = 90;

/** "this run (quick): …; `npm run bench` adds: …", or what the bench run used. */
export function evidenceWords(claim: Pick<ClaimRow, 'evidence'>): string {
  const evidence = claim.evidence;
  if (!evidence) return '–';
  if (evidence.run === 'bench') return `this run (\`npm run bench\`): ${evidence.used}`;
  return `this run (quick): ${evidence.used}; ${evidence.benchAdds ? `\`npm run bench\` adds: ${evidence.benchAdds}` : '`npm run bench` measures the same, so the verdict is as final as the bench\'s'}`;
}

/** One section per claim: the long figure texts live here, not in a table cell. */
export function renderClaims(claims: readonly ClaimRow[], heading: string): string[] {
  if (claims.length === 0) return [];
  const lines = [`## ${heading}`, ''];
  lines.push('Every verdict is computed from this run\'s measurements by the claim functions of the measurement modules (`harness/measurements/<area>/claim-*.ts`, `store-claims.ts`, `topology-claims.ts`); none is written by hand. Figures marked *quick version* come from the short measurements inside `npm run repro`; `npm run bench` runs the long ones. Each claim names its evidence: what this run measured for it and what the bench adds, so a verdict the quick evidence cannot settle says *unknown* rather than a guess.', '');
  for (const claim of claims) {
    lines.push(`### ${claimHeading(claim)}`, '');
    lines.push(`**${claim.verdict}**${claim.conditions ? `: ${claim.conditions}` : ''}`, '');
    lines.push(`- **Figure**${claim.quick ? ' (quick version)' : ''}: ${claim.figure}`);
    lines.push(`- **Measured**: ${claim.measured}`);
    lines.push(`- **Samples**: ${claim.samples}`);
    if (claim.evidence) lines.push(`- **Evidence**: ${evidenceWords(claim)}`);
    lines.push(`- **Reproduce**: \`${claim.command}\``, '');
  }
  return lines;
}

/** `base` is where the report sits relative to the run folder's charts (e.g. `harness/report/` for the committed one). */
export function renderCharts(charts: readonly ChartArtifact[], base = ''): string[] {
  if (charts.length === 0) return [];
  return ['## Charts', '', ...charts.flatMap((chart) => [`### ${chart.title}`, '', `![${chart.title}](${base}${chart.file})`, ''])];
}

const GROUP_TITLES: Record<ReliabilityRow['group'], string> = {
  fault: 'Faults',
  'provider-fault': 'Provider faults',
  'hostile-input': 'Hostile input at the callback',
  security: 'Security checks',
  browser: 'Real browser (Chromium): the callback page as a user gets it',
};

export function renderReliability(rows: readonly ReliabilityRow[]): string[] {
  if (rows.length === 0) return [];
  const stores = [...new Set(rows.flatMap((row) => Object.keys(row.perStore)))];
  const lines = ['## Reliability and security', ''];
  lines.push(stores.map((store) => `\`${store}\`: ${describeTally(tallyCases(rows, store))} passed`).join('; ') + '.', '');
  lines.push(
    'Only verdicts are counted: **n/a** (the case cannot apply to the store; the reason is given once under each table), **recorded** (a fact reported without a verdict) and **unknown** (the harness could not judge) stay out of the tallies and the grades. Each cell is shortened; the full text of every case is in the block under its table.',
    '',
  );
  for (const group of Object.keys(GROUP_TITLES) as ReliabilityRow['group'][]) {
    const groupRows = rows.filter((row) => row.group === group);
    if (groupRows.length === 0) continue;
    lines.push(`### ${GROUP_TITLES[group]}`, '');
    lines.push(`| case | ${stores.join(' | ')} |`, `|---|${stores.map(() => '---|').join('')}`);
    // n/a says why once per table, not in every cell: reason → stores → rows.
    const notApplicable = new Map<string, Map<string, number>>();
    for (const row of groupRows) {
      const outcomes = stores.map((store) => {
        const result = row.perStore[store];
        if (!result) return 'not run';
        if (result.outcome === 'n/a') {
          const byStore = notApplicable.get(result.detail) ?? new Map<string, number>();
          byStore.set(store, (byStore.get(store) ?? 0) + 1);
          notApplicable.set(result.detail, byStore);
          return 'n/a';
        }
        // Verdicts in bold; recorded and unknown are not verdicts and read as plain words.
        return `${isVerdict(result.outcome) ? `**${result.outcome}**` : result.outcome}: ${cell(headline(result.detail, CELL_DETAIL_BUDGET))}`;
      });
      lines.push(`| ${row.id} | ${outcomes.join(' | ')} |`);
    }
    lines.push('');
    for (const [reason, byStore] of notApplicable) {
      const where = [...byStore].map(([store, count]) => `\`${store}\` (${count} ${count === 1 ? 'row' : 'rows'})`).join(', ');
      lines.push(`- **n/a** for ${where}: ${cell(reason)}`);
    }
    const commands = [...new Set(groupRows.map((row) => row.command))];
    if (commands.length === 1) lines.push(`- Reproduce every row: \`${commands[0]}\``);
    lines.push('');
    lines.push(`<details><summary>${GROUP_TITLES[group]}: every case in full</summary>`, '');
    for (const row of groupRows) {
      lines.push(`- **${row.id}**: ${row.what}${commands.length > 1 ? ` (\`${row.command}\`)` : ''}`);
      for (const store of stores) {
        const result = row.perStore[store];
        if (!result || result.outcome === 'n/a') continue;
        lines.push(`  - \`${store}\`: ${isVerdict(result.outcome) ? `**${result.outcome}**` : result.outcome}: ${result.detail.replace(/\n/g, ' ')}`);
      }
    }
    lines.push('', '</details>', '');
  }
  return lines;
}
