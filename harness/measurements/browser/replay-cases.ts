/**
 * harness/measurements/browser/: a real Chromium plays the user: flows per topology with screenshots, hostile input replayed, the callback page's headers and requests.
 *
 * Which hostile requests a browser can replay, as URLs: the GET cases of
 * fixtures/hostile-payloads/ (their callback path swapped for the target's),
 * plus marker payloads that report when they run (a marker on `window`, a
 * console line), so script execution is seen whatever the HTML escaping
 * looked like on paper. Pure.
 */
import { randomBytes } from 'node:crypto';
import { MARKER_CONSOLE, MARKER_GLOBAL } from '../../deploy/browser/browser-tab.ts';
import { fillCase, type HostileCase } from '../hostile-input/hostile-cases.ts';

/** The path the case files are written for (src/'s); a target's own callback path replaces it. */
export const CASES_CALLBACK_PATH = '/oauth/callback';

export interface ReplayCase {
  id: string;
  /** Path and query, relative to the callback's origin. */
  pathAndQuery: string;
}

export interface NotReplayed {
  id: string;
  why: string;
}

/** Payloads that announce themselves when they run, in the places a callback page echoes. */
export function markerCases(callbackPath: string): ReplayCase[] {
  const forged = randomBytes(32).toString('base64url');
  const script = (id: string) => `<script>window.${MARKER_GLOBAL}='${id}';console.log('${MARKER_CONSOLE} ${id}')</script>`;
  const onerror = (id: string) => `<img src=x onerror="window.${MARKER_GLOBAL}='${id}';console.log('${MARKER_CONSOLE} ${id}')">`;
  const breakout = (id: string) => `"'><svg onload="window.${MARKER_GLOBAL}='${id}'">`;
  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const cases: [string, Record<string, string>][] = [
    ['marker/error-description-script', { error: 'access_denied', error_description: script('error-description-script') }],
    ['marker/error-description-img-onerror', { error: 'access_denied', error_description: onerror('error-description-img-onerror') }],
    ['marker/error-script', { error: script('error-script'), state: forged }],
    ['marker/state-script', { code: 'browser-code', state: script('state-script') }],
    ['marker/state-attribute-breakout', { code: 'browser-code', state: breakout('state-attribute-breakout') }],
    ['marker/code-img-onerror', { code: onerror('code-img-onerror'), state: forged }],
  ];
  return cases.map(([id, params]) => ({ id, pathAndQuery: `${callbackPath}?${query(params)}` }));
}

/**
 * The hostile cases a browser can send as a URL. Left out, with why: other
 * methods, raw bytes a browser would encode (the case is about the raw
 * bytes), another host, and cases that need a second client's or an earlier
 * flow's query (they probe the store, not the page).
 */
export function replayableCases(cases: readonly HostileCase[], callbackPath: string): { replay: ReplayCase[]; notReplayed: NotReplayed[] } {
  const replay: ReplayCase[] = [];
  const notReplayed: NotReplayed[] = [];
  for (const hostile of cases) {
    const why = unreplayable(hostile);
    if (why) {
      notReplayed.push({ id: hostile.id, why });
      continue;
    }
    // {live} is a flow in progress in the HTTP battery; for script execution any state the store never issued does.
    const filled = fillCase(hostile.template.replaceAll('{live}', '{forged}'), { forged: randomBytes(32).toString('base64url'), live: '', foreignQuery: '', replayQuery: '' });
    const pathAndQuery = filled.startsWith(CASES_CALLBACK_PATH) ? `${callbackPath}${filled.slice(CASES_CALLBACK_PATH.length)}` : filled;
    replay.push({ id: hostile.id, pathAndQuery });
  }
  return { replay, notReplayed };
}

function unreplayable(hostile: HostileCase): string | undefined {
  if (hostile.expectedStatus === 414 || hostile.expectedStatus === 431) return 'about the request\'s size: refused before any page is built (the browser shows its own error page)';
  if (hostile.method !== 'GET') return `${hostile.method}: a browser navigation is a GET`;
  if (!hostile.template.startsWith('/')) return 'not an origin-form path (another host)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F-\uFFFF]/.test(hostile.template.replace(/\{[^}]*\}/g, ''))) return 'raw bytes in the request line: a browser would percent-encode them';
  if (/\{(foreign-query|replay-query)\}/.test(hostile.template)) return "needs another client's or an earlier flow's query: a store question, not a page question";
  return undefined;
}
