/** The claims table and the reliability section of REPORT.md. */
import type { ChartArtifact, ClaimRow, ReliabilityRow } from '../measurements/measure-context.ts';
import { describeTally, isVerdict, tallyCases } from '../grading/case-tally.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderClaims(claims: readonly ClaimRow[]): string[] {
  if (claims.length === 0) return [];
  const lines = ['## The write-up\'s claims, measured', ''];
  lines.push('| id | claim | what was measured | figure | samples | verdict | reproduce |', '|---|---|---|---|---|---|---|');
  for (const claim of claims) {
    const verdict = claim.conditions ? `**${claim.verdict}**: ${claim.conditions}` : `**${claim.verdict}**`;
    lines.push(
      `| ${claim.id} | ${cell(claim.claim)} | ${cell(claim.measured)} | ${cell(claim.figure)}${claim.quick ? ' (quick version)' : ''} | ${cell(claim.samples)} | ${cell(verdict)} | \`${claim.command}\` |`,
    );
  }
  lines.push('', 'Every verdict is computed from this run\'s measurements by the functions in `harness/claims/` and the measurement modules; none is written by hand. Figures marked *quick version* come from the short measurements inside `npm run repro`; `npm run bench` runs the long ones.', '');
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
};

export function renderReliability(rows: readonly ReliabilityRow[]): string[] {
  if (rows.length === 0) return [];
  const stores = [...new Set(rows.flatMap((row) => Object.keys(row.perStore)))];
  const lines = ['## Reliability and security', ''];
  lines.push(stores.map((store) => `\`${store}\`: ${describeTally(tallyCases(rows, store))} passed`).join('; ') + '.', '');
  lines.push(
    'Only verdicts are counted: **n/a** (the case cannot apply to the store; the cell says why), **recorded** (a fact reported without a verdict) and **unknown** (the harness could not judge) stay out of the tallies and the grades.',
    '',
  );
  for (const group of Object.keys(GROUP_TITLES) as ReliabilityRow['group'][]) {
    const groupRows = rows.filter((row) => row.group === group);
    if (groupRows.length === 0) continue;
    lines.push(`### ${GROUP_TITLES[group]}`, '');
    lines.push(`| case | what was done | ${stores.join(' | ')} | reproduce |`, `|---|---|${stores.map(() => '---|').join('')}---|`);
    for (const row of groupRows) {
      const outcomes = stores.map((store) => {
        const result = row.perStore[store];
        if (!result) return 'not run';
        // Verdicts in bold; n/a, recorded and unknown are not verdicts and read as plain words.
        return `${isVerdict(result.outcome) ? `**${result.outcome}**` : result.outcome}: ${cell(result.detail)}`;
      });
      lines.push(`| ${row.id} | ${cell(row.what)} | ${outcomes.join(' | ')} | \`${row.command}\` |`);
    }
    lines.push('');
  }
  return lines;
}
