/**
 * Judges of a callback page as Chromium received and ran it. Pure: each
 * takes what the browser recorded and returns pass/fail with the evidence.
 */
import { MARKER_CONSOLE } from '../../deploy/browser/browser-tab.ts';

/** What the checks need of a page the browser loaded (kept in the run's raw data). */
export interface CheckedPage {
  /** Which page: "success (split-process)", "invalid state (isolated)"… */
  label: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  subresources: { url: string; resourceType: string; referer?: string }[];
  refused: string[];
}

export interface Judgement {
  ok: boolean;
  detail: string;
}

/** Policies under which no request carries the page's query (the code) in Referer, same origin or not. */
export const REFERRER_POLICIES_THAT_HIDE_THE_QUERY = ['no-referrer', 'origin', 'strict-origin'] as const;

export function judgeCacheControl(pages: readonly CheckedPage[]): Judgement {
  const bad = pages.filter((page) => !/(^|,)\s*no-store\s*(,|$)/i.test(page.headers['cache-control'] ?? ''));
  if (bad.length === 0) return { ok: true, detail: `Cache-Control: no-store on ${describe(pages)}` };
  return { ok: false, detail: bad.map((page) => (page.headers['cache-control'] === undefined ? `no Cache-Control on ${page.label}` : `Cache-Control ${quote(page.headers['cache-control'])} on ${page.label}`)).join('; ') };
}

/**
 * The last policy token the browser understands wins (the Referrer-Policy
 * spec); one that hides the query passes. A request that actually carried
 * the code in its Referer fails whatever the header said.
 */
export function judgeReferrerPolicy(pages: readonly CheckedPage[]): Judgement {
  const problems: string[] = [];
  for (const page of pages) {
    const code = new URL(page.url).searchParams.get('code');
    const leaked = code ? page.subresources.filter((request) => request.referer?.includes(code)) : [];
    if (leaked.length > 0) problems.push(`${page.label}: the code went out in the Referer of ${leaked.map((r) => r.url).join(', ')}`);
    const policy = effectiveReferrerPolicy(page.headers['referrer-policy']);
    if (!policy || !(REFERRER_POLICIES_THAT_HIDE_THE_QUERY as readonly string[]).includes(policy)) {
      problems.push(
        page.headers['referrer-policy'] === undefined
          ? `no Referrer-Policy on ${page.label}: the browser default, strict-origin-when-cross-origin, sends the full URL with the code to its own origin`
          : `Referrer-Policy ${quote(page.headers['referrer-policy'])} on ${page.label}`,
      );
    }
  }
  if (problems.length === 0) return { ok: true, detail: `Referrer-Policy ${[...new Set(pages.map((p) => effectiveReferrerPolicy(p.headers['referrer-policy'])))].join(', ')} on ${describe(pages)}; no request carried the code in Referer` };
  return { ok: false, detail: problems.join('; ') };
}

const KNOWN_POLICIES = ['no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url'];

export function effectiveReferrerPolicy(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const tokens = header.split(/[,\n]/).map((token) => token.trim().toLowerCase()).filter((token) => KNOWN_POLICIES.includes(token));
  return tokens.at(-1);
}

/**
 * Inline script is forbidden when the directive that governs scripts
 * (script-src, else default-src) exists and does not allow 'unsafe-inline'
 * (which a nonce or hash switches off, CSP level 3). Several policies all
 * apply: one that forbids is enough.
 */
export function judgeCsp(pages: readonly CheckedPage[]): Judgement {
  const bad: string[] = [];
  for (const page of pages) {
    const verdict = inlineScriptVerdict(page.headers['content-security-policy']);
    if (!verdict.forbidden) bad.push(`${verdict.why} on ${page.label}`);
  }
  if (bad.length === 0) return { ok: true, detail: `a Content-Security-Policy that forbids inline script on ${describe(pages)}` };
  return { ok: false, detail: bad.join('; ') };
}

export function inlineScriptVerdict(header: string | undefined): { forbidden: boolean; why: string } {
  if (!header || header.trim() === '') return { forbidden: false, why: 'no Content-Security-Policy header' };
  const policies = header.split('\n');
  const reasons: string[] = [];
  for (const policy of policies) {
    const directives = new Map<string, string[]>();
    for (const part of policy.split(';')) {
      const [name, ...values] = part.trim().split(/\s+/);
      if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values.map((v) => v.toLowerCase()));
    }
    const governing = directives.has('script-src') ? 'script-src' : directives.has('default-src') ? 'default-src' : undefined;
    if (!governing) {
      reasons.push('neither script-src nor default-src');
      continue;
    }
    const sources = directives.get(governing)!;
    const nonceOrHash = sources.some((s) => /^'(nonce-|sha256-|sha384-|sha512-)/.test(s));
    if (sources.includes("'unsafe-inline'") && !nonceOrHash) {
      reasons.push(`${governing} allows 'unsafe-inline'`);
      continue;
    }
    return { forbidden: true, why: `${governing} ${sources.join(' ') || "(empty: nothing allowed)"}` };
  }
  return { forbidden: false, why: reasons.join('; ') };
}

/** A callback page that asks another host for anything tells that host (and its logs) who just signed in, and when. */
export function judgeThirdParty(pages: readonly CheckedPage[]): Judgement {
  const foreign: string[] = [];
  for (const page of pages) {
    const origin = new URL(page.url).origin;
    for (const url of [...page.subresources.map((r) => r.url), ...page.refused]) {
      let other: string;
      try {
        other = new URL(url).origin;
      } catch {
        other = url;
      }
      if (other !== origin && other !== 'null') foreign.push(`${page.label}: ${url.slice(0, 120)}`);
    }
  }
  if (foreign.length === 0) {
    const own = pages.reduce((sum, page) => sum + page.subresources.length, 0);
    return { ok: true, detail: `no request to another host from ${describe(pages)} (${own} same-origin request${own === 1 ? '' : 's'})` };
  }
  return { ok: false, detail: `requested from another host: ${foreign.join('; ')}` };
}

/** What running a hostile URL in the tab showed. */
export interface ReplayObservation {
  id: string;
  status: number | null;
  dialogs: { type: string; message: string }[];
  console: string[];
  marker?: string;
  error?: string;
}

/** Script ran when a dialog opened, the marker was set, or the marker's console line was printed. */
export function scriptRan(observation: ReplayObservation): string | undefined {
  if (observation.dialogs.length > 0) return `a dialog opened (${observation.dialogs[0]!.type}: "${observation.dialogs[0]!.message.slice(0, 60)}")`;
  if (observation.marker !== undefined) return `the payload set window marker "${observation.marker.slice(0, 60)}"`;
  const line = observation.console.find((text) => text.includes(MARKER_CONSOLE));
  if (line) return `the payload printed "${line.slice(0, 80)}"`;
  return undefined;
}

export function judgeScriptExecution(observations: readonly ReplayObservation[]): Judgement & { ran: string[]; unanswered: string[] } {
  const ran = observations.flatMap((o) => {
    const how = scriptRan(o);
    return how ? [`${o.id}: ${how}`] : [];
  });
  const unanswered = observations.filter((o) => o.status === null).map((o) => `${o.id}: ${o.error ?? 'no answer'}`);
  const blocked = observations.filter((o) => o.console.some((text) => /Content Security Policy/i.test(text))).length;
  if (ran.length > 0) return { ok: false, ran, unanswered, detail: `script ran in ${ran.length} of ${observations.length} replayed URLs: ${ran.slice(0, 3).join('; ')}${ran.length > 3 ? ' …' : ''}` };
  return {
    ok: true,
    ran,
    unanswered,
    detail: `no script ran in ${observations.length} replayed URLs (no dialog, no marker, no marker line)${blocked ? `; the CSP blocked an inline script or handler on ${blocked}` : ''}${unanswered.length ? `; ${unanswered.length} got no answer` : ''}`,
  };
}

const quote = (value: string | undefined) => (value === undefined ? '(absent)' : `"${value.slice(0, 80)}"`);
const describe = (pages: readonly CheckedPage[]) => pages.map((page) => page.label).join(', ');
