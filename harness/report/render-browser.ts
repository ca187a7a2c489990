/**
 * "What the user sees": the callback pages as Chromium rendered them (the
 * browser measurement's screenshots), signed in and with the state lost,
 * side by side, with what each flow did. From the results document alone.
 */
import { escapeCell } from './format.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import type { BrowserResult, ReadPage } from '../measurements/browser/measure-browser.ts';
import { checkedPages } from '../measurements/browser/browser-rows.ts';
import { publishedValue } from '../measurements/published-values.ts';

import { SECTION } from './render-first-screen.ts';

export interface Screenshot {
  caption: string;
  /** Relative to the run folder. */
  file: string;
  message: string;
}

export function browserResult(document: Pick<ResultsDocument, 'measurements'>): BrowserResult | undefined {
  return publishedValue(document.measurements, 'browser');
}

/** The two pages the report shows: the first signed-in page, and the page of a lost state. */
export function reportScreenshots(raw: BrowserResult): Screenshot[] {
  const success = raw.flows.find((flow) => flow.page?.outcome === 'success');
  const shots: Screenshot[] = [];
  if (success?.page?.screenshot) shots.push({ caption: `Signed in (${success.topology})`, file: success.page.screenshot, message: `HTTP ${success.page.status}: the target's success page` });
  const lost = raw.invalidState;
  if (lost?.page.screenshot) {
    shots.push({
      caption: lost.source === 'flow' ? `State lost (${lost.topology})` : `State lost (a state no one issued, ${lost.topology})`,
      file: lost.page.screenshot,
      message: `HTTP ${lost.page.status}: ${lost.page.message}`,
    });
  }
  return shots;
}

const short = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `imageBase`: where the screenshots sit relative to the report ('' in the run folder, 'harness/report/' for the committed one). */
export function renderBrowser(document: ResultsDocument, imageBase = ''): string[] {
  const raw = browserResult(document);
  if (!raw) return [];
  const lines = [`## ${SECTION.browser}`, ''];
  if (raw.skipped) return [...lines, `Not shown: ${raw.skipped}.`, ''];
  lines.push(
    `Chromium ${raw.chromiumVersion ?? ''} played the user of ${raw.target} with its default store (\`${raw.store}\`): it opened the authorize URL, clicked Accept on the provider's consent page and landed on the callback page.`,
    '',
  );
  const shots = reportScreenshots(raw);
  if (shots.length > 0) {
    lines.push(`| ${shots.map((s) => s.caption).join(' | ')} |`, `|${shots.map(() => '---').join('|')}|`);
    lines.push(`| ${shots.map((s) => `![${s.caption}](${imageBase}${s.file})`).join(' | ')} |`);
    lines.push(`| ${shots.map((s) => escapeCell(short(s.message))).join(' | ')} |`, '');
  }
  lines.push('| topology | expected | what the browser got | consent page |', '|---|---|---|---|');
  for (const flow of raw.flows) {
    const expected = flow.expected.outcome === 'pass' ? 'signed in' : `fails at ${flow.expected.stage}`;
    const got = flow.error ?? (flow.observed === 'pass' ? 'signed in' : flow.observed);
    const mark = flow.matched === true ? 'as expected' : flow.matched === false ? '**NOT as expected**' : 'unknown';
    lines.push(`| ${flow.topology} | ${expected} | ${escapeCell(short(got))} (${mark}) | ${flow.consent} |`);
  }
  lines.push('');
  const pages = checkedPages(raw);
  lines.push(
    `Replayed in the browser: ${raw.replays.length} hostile URLs (${raw.notReplayed.length} hostile cases cannot be sent by a browser). The headers, requests and script checks of ${pages.map((p: ReadPage) => p.label).join(' and ') || 'no page'} are rows \`browser/…\` in [Reliability and security](#reliability-and-security).`,
    '',
  );
  return lines;
}
