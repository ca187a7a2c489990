/** "Which fix to ship" in REPORT.md: the grades, the overheads, the recommendations. */
import { lookupTargets } from '../bench/store-claims.ts';
import type { StoreLatencyResult } from '../bench/store-latency.ts';
import type { C8Raw } from '../concurrency/c8-measurement.ts';
import { GRADE_COLUMNS, type Grade } from '../grading/grade-stores.ts';
import type { ResultsDocument } from '../results/results-document.ts';

const MARK: Record<Grade, string> = { pass: 'pass', conditional: 'conditional', fail: '**fail**', 'not measured': 'not measured' };
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (value: number | undefined | null, digits = 1) => (value === undefined || value === null ? '–' : value.toFixed(digits));

export function renderGrading(document: ResultsDocument): string[] {
  const grading = document.grading;
  if (!grading) return [];
  const lines = ['## Which fix to ship', ''];
  for (const recommendation of grading.recommendations) {
    lines.push(`- **${recommendation.scope}: ${recommendation.store ?? 'none'}**. ${recommendation.why}.`);
  }
  lines.push('');
  lines.push(`| store | needs | ${GRADE_COLUMNS.join(' | ')} | flow p50 (ms) | ×memory | get / take p50 (µs) |`);
  lines.push(`|---|---|${GRADE_COLUMNS.map(() => '---|').join('')}---|---|---|`);
  for (const grade of grading.stores) {
    const columns = GRADE_COLUMNS.map((column) => {
      const { grade: g, detail } = grade.columns[column];
      return `${MARK[g]}<br><sub>${cell(detail)}</sub>`;
    });
    lines.push(
      `| ${grade.store} | ${grade.needs.join(', ') || 'nothing'} | ${columns.join(' | ')} | ${num(grade.flowP50Ms)} | ${num(grade.flowRatio, 2)} | ${num(grade.getP50Us)} / ${num(grade.takeP50Us)}${grade.opSessions ? ` at ${grade.opSessions.toLocaleString('en-US')} sessions` : ''} |`,
    );
  }
  lines.push(
    '',
    'Each grade is computed from this run: the scenario rows (topologies), the concurrency measurement and the forced races (concurrency), the fault rows (crash: kills, write errors, broken files), C6\'s probes per store (TTL), the hostile-input and security rows. *conditional* means the property holds only under the conditions stated. The recommendation ranks by columns passed, then by flow overhead against memory, then by lookup time; "one host" leaves out `isolated` and stores that need a server; "default of src/" also leaves out stores that need any configuration.',
    '',
  );

  const latency = (document.measurements.find((m) => m.id === 'store-bench' && !m.error)?.raw as { latency?: StoreLatencyResult } | undefined)?.latency;
  const c8 = document.measurements.find((m) => m.id === 'c8-success-rate' && !m.error)?.raw as C8Raw | undefined;
  if (latency || c8) {
    lines.push('### Performance targets of the recommended store', '');
    lines.push('| store | lookup p50 at low → high live sessions (µs) | growth | ≤ 50 µs | flat (≤ 2×) | complete flows per second at 64 at once (flows, lost) |', '|---|---|---|---|---|---|');
    const targets = latency ? lookupTargets(latency) : [];
    for (const grade of grading.stores) {
      const target = targets.find((t) => t.store === grade.store);
      const top = c8?.concurrency.stores.find((s) => s.store === grade.store)?.levels.at(-1);
      const throughput = top ? `${num(top.passed / (top.durationMs / 1000), 0)} (${top.flows} flows, ${top.flows - top.passed} lost)` : '–';
      const sizes = target ? `${target.lowSize ?? '?'} → ${target.highSize ?? '?'}` : '';
      const yes = (value: boolean | null | undefined) => (value === null || value === undefined ? 'not measured' : value ? 'yes' : '**no**');
      lines.push(
        `| ${grade.store} | ${target ? `${num(target.p50At10Us)} → ${num(target.p50At100kUs)} (${sizes})` : '–'} | ${target?.ratio ? `×${num(target.ratio, 2)}` : '–'} | ${yes(target?.within50us)} | ${yes(target?.flat)} | ${throughput} |`,
      );
    }
    lines.push('', `Targets from issue 6: lookup p50 within 50 µs and at most 2× from 10 to 100,000 live sessions; at least 500 complete flows per second with no state lost. ${latency?.quick || c8?.concurrency.quick ? 'These figures come from the quick version inside `npm run repro` (fewer sizes, fewer flows); `npm run bench` measures 10 to 100,000 sessions and 2,000 flows at the top level.' : ''}`, '');
  }
  return lines;
}
