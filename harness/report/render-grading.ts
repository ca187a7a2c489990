/** "Which fix to ship" in REPORT.md: the grades, the overheads, the recommendations. */
import type { GradeColumnSpec } from '../measurements/measurement.ts';
import { publishedValue } from '../measurements/published-values.ts';
import type { Grade, GradeCell } from '../grading/grade-stores.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { headline } from './headline.ts';

const MARK: Record<Grade, string> = { pass: 'pass', conditional: 'conditional', fail: '**fail**', 'not measured': 'not measured', 'n/a': 'n/a' };
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (value: number | undefined | null, digits = 1) => (value === undefined || value === null ? '–' : value.toFixed(digits));

export function renderGrading(document: ResultsDocument): string[] {
  const grading = document.grading;
  if (!grading) return [];
  // A document from before the columns were listed names them only in each store's cells.
  const specs = grading.columns ?? Object.keys(grading.stores[0]?.columns ?? {}).map((name) => ({ name, what: `its ${name} cells` }) as GradeColumnSpec);
  const columns = specs.map((column) => column.name);
  const severalHostColumns = specs.filter((column) => column.severalHosts).map((column) => column.name);
  const cellOf = (cells: Record<string, GradeCell>, column: string): GradeCell => cells[column] ?? { grade: 'not measured', detail: 'not graded' };
  const lines = ['## Which fix to ship', ''];
  for (const recommendation of grading.recommendations) {
    lines.push(`- **${recommendation.scope}: ${recommendation.store ?? 'none'}**. ${recommendation.why}.`);
  }
  lines.push('');
  // Cells carry the grade, the count and a short detail; the full details and the dependency costs follow the table.
  lines.push(`| store | needs | cases passed | ${columns.join(' | ')} | flow p50 (ms) | ×memory | get / take p50 (µs) |`);
  lines.push(`|---|---|---|${columns.map(() => '---|').join('')}---|---|---|`);
  for (const grade of grading.stores) {
    const cells = columns.map((column) => {
      const { grade: g, detail, count } = cellOf(grade.columns, column);
      // The count first, so a pass over 3 cases and one over 90 do not read alike.
      return `${MARK[g]}${count ? ` ${count.passed}/${count.judged}` : ''}<br><sub>${cell(headline(detail, 80))}</sub>`;
    });
    const cases = `${grade.cases.passed}/${grade.cases.judged}${grade.cases.failed ? ` (${grade.cases.failed} failed)` : ''}`;
    lines.push(
      `| ${grade.store} | ${cell(grade.needs.join(', ') || 'nothing')} | ${cases} | ${cells.join(' | ')} | ${num(grade.flowP50Ms)} | ${num(grade.flowRatio, 2)} | ${num(grade.getP50Us)} / ${num(grade.takeP50Us)}${grade.opSessions ? ` at ${grade.opSessions.toLocaleString('en-US')} sessions` : ''} |`,
    );
  }
  lines.push('', 'Dependency cost (stated, not scored):', '');
  for (const grade of grading.stores) lines.push(`- \`${grade.store}\`: ${grade.dependencyCost}`);
  lines.push('', '<details><summary>Every grade in full</summary>', '');
  for (const grade of grading.stores) {
    lines.push(`- \`${grade.store}\``);
    for (const column of columns) {
      const { grade: g, detail } = cellOf(grade.columns, column);
      lines.push(`  - ${column}: ${MARK[g]}: ${detail.replace(/\n/g, ' ')}`);
    }
  }
  lines.push('', '</details>');
  lines.push(
    '',
    `Each grade is computed from this run: ${specs.map((column) => `${column.name} from ${column.what}`).join('; ')}. Each cell shows what it counted, passed of judged. *cases passed* counts every reliability case of the store; *n/a* (the case cannot apply to the store) and *recorded* (a fact reported without a verdict) cases are in neither number. *conditional* means the property holds only under the conditions stated; a column is *n/a* when none of its cases can apply to the store, and is then left out of the store's column score. The recommendation ranks by the share of applicable columns passed, then by fewer cases failed and more cases passed, then by take p50 (the callback's lookup) at the most live sessions measured, then get p50, then flow overhead against memory; "one host" leaves out ${severalHostColumns.length ? severalHostColumns.map((c) => `\`${c}\``).join(', ') : 'no column (no scenario of this run needs several hosts)'} and stores that need a server; "several hosts" considers the stores that passed ${severalHostColumns.length ? severalHostColumns.map((c) => `\`${c}\``).join(', ') : 'a scenario on several hosts (none in this run)'}; "default of the target" also leaves out stores that need any configuration. The dependency cost is stated, not scored.`,
    '',
  );

  const targets = publishedValue(document.measurements, 'lookup-targets');
  const throughput = publishedValue(document.measurements, 'throughput-targets');
  if (targets || throughput) {
    lines.push('### Performance targets of the recommended store', '');
    lines.push('| store | lookup p50 at low → high live sessions (µs) | growth | ≤ 50 µs | flat (≤ 2×) | complete flows per second, 64 at once: median (min–max), and × the ceiling | flows lost / double-used | ≥ 0.8× the ceiling, none lost |', '|---|---|---|---|---|---|---|---|');
    const yes = (value: boolean | null | undefined) => (value === null || value === undefined ? 'not measured' : value ? 'yes' : '**no**');
    for (const grade of grading.stores) {
      const target = targets?.find((t) => t.store === grade.store);
      const rate = throughput?.find((t) => t.store === grade.store);
      const ratio = rate?.ratioAt64 === undefined ? '' : `, ×${num(rate.ratioAt64, 2)} the ceiling`;
      // The quick run rates no store against the ceiling: throughput is the bench's figure.
      const benchOnly = rate === undefined && throughput !== undefined;
      const unrated = benchOnly ? 'bench only' : '–';
      const flowsPerSecond = rate?.medianFlowsPerSecond === undefined ? unrated : `${num(rate.medianFlowsPerSecond, 0)} (${num(rate.minFlowsPerSecond, 0)}–${num(rate.maxFlowsPerSecond, 0)})${ratio}`;
      const lost = rate ? `${rate.lost} of ${rate.flows} / ${rate.doubleUsed ?? 'not read'}` : unrated;
      const sizes = target ? `${target.lowSize ?? '?'} → ${target.highSize ?? '?'}` : '';
      lines.push(
        `| ${grade.store} | ${target ? `${num(target.p50At10Us)} → ${num(target.p50At100kUs)} (${sizes})` : '–'} | ${target?.ratio ? `×${num(target.ratio, 2)}` : '–'} | ${yes(target?.within50us)} | ${yes(target?.flat)} | ${flowsPerSecond} | ${lost} | ${benchOnly ? 'bench only' : yes(rate?.meets)} |`,
      );
    }
    const durable = (throughput ?? []).flatMap((t) => (t.durableWrites ? [t.durableWrites] : []));
    if (durable.length) {
      lines.push('', 'What durable writes cost each store\'s flows (sync calls in its processes over 20 flows one at a time, counted and timed wall clock by strace): if they follow one another (one file, one lock), they alone allow at most the rate shown, whatever the code around them does.', '');
      for (const d of durable) {
        const bound = d.boundFlowsPerSecond === undefined ? 'no sync call, so no bound from the disk' : `at most ${num(d.boundFlowsPerSecond, 0)} flows/s${d.boundRatioAt64 === undefined ? '' : `, ×${num(d.boundRatioAt64, 2)} the ceiling at 64 at once`}`;
        lines.push(`- ${d.store}: ${num(d.syncsPerFlow, 1)} syncs per flow, ${num(d.syncMsPerFlow, 2)} ms of them → ${bound}`);
      }
    }
    const quick = document.measurements.some((m) => m.quick);
    lines.push('', `Targets: lookup p50 within 50 µs and at most 2× from 10 to 100,000 live sessions; throughput of at least 0.8× the ceiling (the memory store in one process, same concurrency, same run) with no flow lost and no code used twice. ${quick ? 'The lookup figures come from the quick version inside `npm run repro` (sizes up to 1,000 sessions); `npm run bench` measures 10 to 100,000 sessions, and it alone measures throughput (10,000 flows at 64 at once per store, each level against the ceiling): the quick run\'s two dozen flows per store judge C8, not a rate.' : ''} The ceiling runs in one process, so the ratio includes the cost of the second process as well as the store\'s.`, '');
  }
  return lines;
}
