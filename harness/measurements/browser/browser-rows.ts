/**
 * The browser's rows in the security section, computed from what Chromium
 * recorded (measure-browser.ts) by the judges in page-checks.ts. The page is
 * the server's, not the store's: each row is judged once per target, with
 * its default store, and the other stores say so ("n/a").
 */
import { reproCommand, type CaseOutcome, type ReliabilityRow } from '../measure-context.ts';
import type { BrowserResult, ReadPage } from './measure-browser.ts';
import { judgeCacheControl, judgeCsp, judgeReferrerPolicy, judgeScriptExecution, judgeThirdParty, type Judgement } from './page-checks.ts';

const COMMAND = reproCommand(true);

export function browserRows(raw: BrowserResult, stores: readonly string[]): ReliabilityRow[] {
  const row = (id: string, what: string, outcome: CaseOutcome, detail: string): ReliabilityRow => ({
    id: `browser/${id}`,
    group: 'browser',
    what,
    perStore: Object.fromEntries(
      stores.map((store) => [
        store,
        raw.skipped ? { outcome: 'n/a' as const, detail: raw.skipped } : store === raw.store ? { outcome, detail } : { outcome: 'n/a' as const, detail: `judged once per target, with its default store (${raw.store}): the page is the server's, not the store's` },
      ]),
    ),
    command: COMMAND,
  });
  // No browser: one line, not six rows of the same sentence.
  if (raw.skipped) return [row('chromium', 'Real browser (Chromium): flows, script execution, callback page headers', 'n/a', raw.skipped)];

  const rows: ReliabilityRow[] = raw.flows.map((flow) =>
    row(
      `flow-${flow.topology}`,
      `Real browser: consent page clicked, the ${flow.topology} flow ends as the scenario table expects`,
      flow.error ? (flow.harnessError ? 'harness-error' : 'unknown') : flow.matched === true ? 'pass' : flow.matched === false ? 'fail' : 'unknown',
      flow.error ??
        `${flow.observed === 'pass' ? 'signed in' : flow.observed}${flow.matched === true && flow.expected.outcome === 'fail' ? ' (as expected here)' : ''}; expected ${flow.expected.outcome === 'pass' ? 'pass' : `fail at ${flow.expected.stage}`}; consent: ${flow.consent}${flow.page?.screenshot ? `; screenshot ${flow.page.screenshot}` : ''}`,
    ),
  );

  const script = judgeScriptExecution(raw.replays);
  const allUnanswered = raw.replays.length > 0 && script.unanswered.length === raw.replays.length;
  rows.push(
    row(
      'script-execution',
      'Injected script does not run in the callback page (hostile URLs replayed in Chromium: dialog, window marker, console line)',
      raw.replays.length === 0 || allUnanswered ? 'unknown' : script.ok ? 'pass' : 'fail',
      raw.replays.length === 0
        ? 'nothing replayed'
        : `${script.detail}${raw.replaySubsetOf === undefined ? '' : `; a subset the caller chose: ${raw.replays.length} of the ${raw.replaySubsetOf} URLs`}; ${raw.notReplayed.length} hostile cases not expressible as a browser URL`,
    ),
  );

  const pages = checkedPages(raw);
  const judged = (id: string, what: string, judge: (pages: ReadPage[]) => Judgement) => {
    if (pages.length === 0) return row(id, what, 'unknown', 'no callback page was loaded to check');
    const verdict = judge(pages);
    return row(id, what, verdict.ok ? 'pass' : 'fail', verdict.detail);
  };
  rows.push(
    judged('cache-control', 'Callback page sent with Cache-Control: no-store (the code is in its URL)', judgeCacheControl),
    judged('referrer-policy', 'Callback page keeps the code out of Referer (Referrer-Policy no-referrer, origin or strict-origin; no request carried it)', judgeReferrerPolicy),
    judged('csp-inline-script', 'Callback page has a Content-Security-Policy that forbids inline script', judgeCsp),
    judged('third-party-requests', 'Callback page requests nothing from another host', judgeThirdParty),
  );
  return rows;
}

/** The pages a user lands on: the first success, and the invalid-state page. */
export function checkedPages(raw: BrowserResult): ReadPage[] {
  const success = raw.flows.find((flow) => flow.page?.outcome === 'success')?.page;
  return [success, raw.invalidState?.page].filter((page): page is ReadPage => page !== undefined);
}
