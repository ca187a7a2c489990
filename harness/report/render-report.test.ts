/**
 * Regression: REPORT.md opened with a 24-row table and a
 * claims table whose cells were paragraphs (C6's figure cell over 1,000
 * characters); a reader asking "reproduced? which claims hold? what do I
 * ship?" had to dig. Rendered here from a real run's results.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../results/results-document.ts';
import { headline, HEADLINE_BUDGET } from './headline.ts';
import { renderReport } from './render-report.ts';

const document = JSON.parse(readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8')) as ResultsDocument;
const report = renderReport(document, { 'split-process': 'The write-up\'s case.' }, 'harness/report/');
const lines = report.split('\n');

/** Cells of every markdown table row (escaped pipes are not separators). */
function tableCells(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|(-+\|)+$/.test(line))
    .flatMap((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

describe('REPORT.md from a real results.json', () => {
  it('keeps every table cell at or under 200 characters', () => {
    const cells = tableCells(report);
    expect(cells.length).toBeGreaterThan(500);
    const longest = cells.reduce((a, b) => (b.length > a.length ? b : a), '');
    expect(longest.length, longest).toBeLessThanOrEqual(200);
  });

  it('answers the three questions in its first 40 lines', () => {
    const first = lines.slice(0, 40).join('\n');
    expect(first).toMatch(/\*\*Reproduced\*\* on target jira-mcp \(src\/\)/);
    expect(first).toContain('158.9 s');
    for (const claim of document.claims) expect(first).toMatch(new RegExp(`\\| \\[${claim.id}\\]\\(#`));
    for (const r of document.grading!.recommendations) expect(first).toContain(`**${r.scope}: \`${r.store}\`**`);
  });

  it('says n/a once per row group, not in every cell', () => {
    const faults = report.slice(report.indexOf('### Faults'), report.indexOf('### Provider faults'));
    expect(faults.match(/no local file: a put left no file on disk/g)).toHaveLength(1);
    expect(faults).toContain('- **n/a** for `memory` (');
  });

  it('groups the scenario table by scenario, one row per store', () => {
    const section = report.slice(report.indexOf('### split-process'), report.indexOf("## The write-up's claims in full"));
    const rows = section.split('\n').filter((line) => /^\| (memory|json-file|atomic-file|sqlite|redis|sealed-state) \|/.test(line));
    expect(rows).toHaveLength(6);
  });
});

describe('REPORT.md on GitHub markdown rules (GFM, through marked)', () => {
  const html = marked.parse(report, { gfm: true, async: false });
  const root = fileURLToPath(new URL('../../', import.meta.url));

  it('shows every chart as an image whose file is committed beside the report', () => {
    const sources = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual(document.charts.map((chart) => `harness/report/${chart.file}`));
    for (const source of sources) expect(existsSync(root + source), source).toBe(true);
  });

  it('renders the first screen as tables and links, not as literal pipes', () => {
    expect(html).toContain('<th>key figure</th>');
    expect(html).toMatch(/<a href="#c6-15min-ttl">C6<\/a>/);
    expect(html).toContain('<h3>C6: &quot;15min TTL&quot;</h3>');
  });
});

describe('headline', () => {
  it('keeps every claim figure of the run under the budget without cutting a word', () => {
    for (const claim of document.claims) {
      const short = headline(claim.figure);
      expect(short.length, short).toBeLessThanOrEqual(HEADLINE_BUDGET);
      // Whole words of the figure only: nothing cut in half.
      const words = [claim.figure, claim.figure.replace(/ \/ /g, '/')].flatMap((text) => text.split(/[\s;,():]+/));
      for (const word of short.replace(/ …$/, '').split(/[\s;,():]+/).filter(Boolean)) expect(words, word).toContain(word);
    }
  });

  it('drops long quotations and parentheses before dropping clauses', () => {
    expect(headline('a (split-process): 14:59 accepted, 15:01 refused ("Token exchange failed: Invalid or expired OAuth state"); b: ok', 60)).toBe('a (split-process): 14:59 accepted, 15:01 refused; b: ok');
    expect(headline('short figure')).toBe('short figure');
  });
});
