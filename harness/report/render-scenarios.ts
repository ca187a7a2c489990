/**
 * The scenario × store table of REPORT.md, one table per scenario with one
 * row per store; an error message the users saw is printed once per scenario
 * and referred to by a letter, so no cell repeats a paragraph.
 */
import type { CellResult } from '../core/cell-result.ts';
import { describeExpectation, describeObserved, escapeCell, matchMark, ms } from './format.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function renderScenarioTables(cells: readonly CellResult[], descriptions: Record<string, string>, heading: string): string[] {
  const lines = [`## ${heading}`, ''];
  // Said from what this target offers: a target with no token tool never shows whether the token reached the tool process.
  const handoffSeen = !cells.some((cell) => cell.tokenHandoffs.notObservable > 0);
  lines.push(
    `Each row is one scenario run against one session store through real OS processes: an MCP client calls the target's tool that starts the flow on the tool process, a user agent follows the authorize URL on the mock Atlassian server and its redirect to the target's callback, ${handoffSeen ? "then the target's token tool shows whether the token reached the tool process" : 'and the target offers no tool that shows its token, so whether the token reached the tool process is not observed (counted as not observable, never as a pass)'}. *Expected* is declared by the scenario file; *observed* is read from the run's history by the checkers.`,
    '',
  );
  const scenarios = [...new Set(cells.map((cell) => cell.scenario))];
  for (const scenario of scenarios) {
    const group = cells.filter((cell) => cell.scenario === scenario);
    lines.push(`### ${scenario}`, '');
    if (descriptions[scenario]) lines.push(descriptions[scenario]!, '');
    const messages: string[] = [];
    const refer = (stage: string, message: string) => {
      const text = `${stage}: ${message}`;
      if (!messages.includes(text)) messages.push(text);
      return `(${LETTERS[messages.indexOf(text) % LETTERS.length]})`;
    };
    lines.push('| store | expected | observed | verdict | flows | state lookups ok / failed | token hand-off ok / failed | flow p50 / p95 (ms) | errors the user saw |', '|---|---|---|---|---|---|---|---|---|');
    for (const cell of group) {
      const errors = cell.harnessError
        ? `harness error ${refer('harness', cell.harnessError.split('\n')[0] ?? '')}`
        : cell.errors.map((error) => `${error.count}× ${refer(error.stage, error.message)}`).join(', ') || '–';
      const mark = matchMark(cell);
      lines.push(
        `| ${cell.store} | ${describeExpectation(cell.expected)} | ${escapeCell(describeObserved(cell))} | ${mark === 'as expected' ? mark : `**${mark}**`} | ${cell.flows} | ${cell.stateLookups.ok} / ${cell.stateLookups.failed} | ${cell.tokenHandoffs.ok} / ${cell.tokenHandoffs.failed} | ${ms(cell.latencyMs.p50)} / ${ms(cell.latencyMs.p95)} | ${errors} |`,
      );
    }
    lines.push('');
    for (const [i, text] of messages.entries()) lines.push(`${i ? '' : 'Errors: '}(${LETTERS[i % LETTERS.length]}) at ${escapeCell(text)}${i < messages.length - 1 ? '<br>' : ''}`);
    if (messages.length) lines.push('');
  }
  return lines;
}
