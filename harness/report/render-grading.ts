/** "Which fix to ship" in REPORT.md: the grades, the overheads, the recommendations. */
import { lookupTargets } from '../measurements/store-bench/store-claims.ts';
import type { StoreLatencyResult } from '../measurements/store-bench/store-latency.ts';
import { THROUGHPUT_TARGET_RATIO, type StoreThroughput } from '../measurements/concurrency/throughput.ts';
import { GRADE_COLUMNS, type Grade } from '../grading/grade-stores.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { headline } from './headline.ts';

const MARK: Record<Grade, string> = { pass: 'pass', conditional: 'conditional', fail: '**fail**', 'not measured': 'not measured', 'n/a': 'n/a' };
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
  // Cells carry the grade, the count and a short detail; the full details and the dependency costs follow the table.
  lines.push(`| store | needs | cases passed | ${GRADE_COLUMNS.join(' | ')} | flow p50 (ms) | ×memory | get / take p50 (µs) |`);
  lines.push(`|---|---|---|${GRADE_COLUMNS.map(() => '---|').join('')}---|---|---|`);
  for (const grade of grading.stores) {
    const columns = GRADE_COLUMNS.map((column) => {
      const { grade: g, detail, count } = grade.columns[column];
      // The count first, so a pass over 3 cases and one over 90 do not read alike.
      return `${MARK[g]}${count ? ` ${count.passed}/${count.judged}` : ''}<br><sub>${cell(headline(detail, 80))}</sub>`;
    });
    const cases = `${grade.cases.passed}/${grade.cases.judged}${grade.cases.failed ? ` (${grade.cases.failed} failed)` : ''}`;
    lines.push(
      `| ${grade.store} | ${cell(grade.needs.join(', ') || 'nothing')} | ${cases} | ${columns.join(' | ')} | ${num(grade.flowP50Ms)} | ${num(grade.flowRatio, 2)} | ${num(grade.getP50Us)} / ${num(grade.takeP50Us)}${grade.opSessions ? ` at ${grade.opSessions.toLocaleString('en-US')} sessions` : ''} |`,
    );
  }
  lines.push('', 'Dependency cost (stated, not scored):', '');
  for (const grade of grading.stores) lines.push(`- \`${grade.store}\`: ${grade.dependencyCost}`);
  lines.push('', '<details><summary>Every grade in full</summary>', '');
  for (const grade of grading.stores) {
    lines.push(`- \`${grade.store}\``);
    for (const column of GRADE_COLUMNS) {
      const { grade: g, detail } = grade.columns[column];
      lines.push(`  - ${column}: ${MARK[g]}: ${detail.replace(/\n/g, ' ')}`);
    }
  }
  lines.push('', '</details>');
  lines.push(
    '',
    'Each grade is computed from this run: the scenario rows (topologies, counted in flows), the concurrency measurement and the forced races (concurrency), the fault rows (crash: kills, write errors, broken files), each store\'s own C6 probes (TTL, counted in probes), the hostile-input and security rows; each cell shows what it counted, passed of judged. *cases passed* counts every reliability case of the store; *n/a* (the case cannot apply to the store) and *recorded* (a fact reported without a verdict) cases are in neither number. *conditional* means the property holds only under the conditions stated; a column is *n/a* when none of its cases can apply to the store, and is then left out of the store\'s column score. The recommendation ranks by the share of applicable columns passed, then by fewer cases failed and more cases passed, then by take p50 (the callback\'s lookup) at the most live sessions measured, then get p50, then flow overhead against memory; "one host" leaves out `isolated` and stores that need a server; "default of the target" also leaves out stores that need any configuration. The dependency cost is stated, not scored.',
    '',
  );

  const latency = (document.measurements.find((m) => m.id === 'store-bench' && !m.error)?.raw as { latency?: StoreLatencyResult } | undefined)?.latency;
  const throughput = (document.measurements.find((m) => m.id === 'c8-success-rate' && !m.error)?.raw as { throughput?: StoreThroughput[] } | undefined)?.throughput;
  if (latency || throughput) {
    lines.push('### Performance targets of the recommended store', '');
    lines.push('| store | lookup p50 at low → high live sessions (µs) | growth | ≤ 50 µs | flat (≤ 2×) | complete flows per second, 64 at once: median (min–max), and × the ceiling | flows lost / double-used | ≥ 0.8× the ceiling, none lost |', '|---|---|---|---|---|---|---|---|');
    const targets = latency ? lookupTargets(latency) : [];
    for (const grade of grading.stores) {
      const target = targets.find((t) => t.store === grade.store);
      const rate = throughput?.find((t) => t.store === grade.store);
      const ratio = rate?.ratioAt64 === undefined ? '' : `, ×${num(rate.ratioAt64, 2)} the ceiling`;
      const flowsPerSecond = rate?.medianFlowsPerSecond === undefined ? '–' : `${num(rate.medianFlowsPerSecond, 0)} (${num(rate.minFlowsPerSecond, 0)}–${num(rate.maxFlowsPerSecond, 0)})${ratio}`;
      // Results documents from before the ceiling (no levels) count their bursts.
      const allFlows = rate ? (rate.levels ?? rate.bursts).reduce((sum, run) => sum + run.flows, 0) : 0;
      const lost = rate ? `${rate.lost} of ${allFlows} / ${rate.doubleUsed ?? 'not read'}` : '–';
      const meets = rate?.ratioAt64 === undefined ? 'not measured' : rate.ratioAt64 >= THROUGHPUT_TARGET_RATIO && rate.lost === 0 && (rate.doubleUsed ?? 0) === 0 ? 'yes' : '**no**';
      const sizes = target ? `${target.lowSize ?? '?'} → ${target.highSize ?? '?'}` : '';
      const yes = (value: boolean | null | undefined) => (value === null || value === undefined ? 'not measured' : value ? 'yes' : '**no**');
      lines.push(
        `| ${grade.store} | ${target ? `${num(target.p50At10Us)} → ${num(target.p50At100kUs)} (${sizes})` : '–'} | ${target?.ratio ? `×${num(target.ratio, 2)}` : '–'} | ${yes(target?.within50us)} | ${yes(target?.flat)} | ${flowsPerSecond} | ${lost} | ${meets} |`,
      );
    }
    lines.push('', `Targets: lookup p50 within 50 µs and at most 2× from 10 to 100,000 live sessions; throughput of at least 0.8× the ceiling (the memory store in one process, same concurrency, same run) with no flow lost and no code used twice. ${latency?.quick || document.measurements.some((m) => m.quick) ? 'These figures come from the quick version inside `npm run repro` (sizes up to 1,000 sessions, a few dozen flows per level); `npm run bench` measures 10 to 100,000 sessions and 10,000 flows at 64 at once per store. The ceiling runs in one process, so the ratio includes the cost of the second process as well as the store\'s.' : ''}`, '');
  }
  return lines;
}
