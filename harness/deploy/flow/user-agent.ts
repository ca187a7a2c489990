/**
 * Plays the user's browser: follows the authorize URL hop by hop (no
 * automatic redirects, so each hop is seen and recorded), keeps cookies as a
 * browser does (a cookie jar with Domain, Path, expiry, Secure and SameSite),
 * answers the provider's consent form as a person would (Accept, or Deny when
 * told), goes on from the page that answers the form when that page refreshes
 * to the way back, and stops at the redirect back to the callback or at a
 * final page.
 */
import { Cookie, CookieJar, getPublicSuffix } from 'tough-cookie';
import { isLoopback } from './provider-hosts.ts';
export interface Hop {
  method: string;
  url: string;
  status: number;
  /** Where the hop sent the browser next: a redirect's Location, or the URL the consent post's answer refreshes to. */
  location?: string;
  durationMs: number;
  /** The response's headers, names in lower case (kept by the browser's tab, for a balancer's served-by header). */
  headers?: Readonly<Record<string, string>>;
}

export interface Page {
  url: string;
  status: number;
  body: string;
  contentType: string;
}

/** Which button the user clicks on the consent page. */
export type ConsentChoice = 'accept' | 'deny';

export interface UserAgentOptions {
  /** Default 'accept'; `follow`'s own option wins. */
  consent?: ConsentChoice;
}

export interface FollowOptions {
  stopBefore?: (url: URL) => boolean;
  /** Sends this navigation's requests (one that records each hop and the replica that served it, say); default: the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Requests in all, the consent form's post included. Default 10. */
  maxHops?: number;
  consent?: ConsentChoice;
}

/**
 * One request of a top-level navigation. Which SameSite cookies it carries
 * depends on the whole navigation, not on the request alone: on the page that
 * started it and on every URL it was redirected through.
 */
interface Visit {
  method: 'GET' | 'POST';
  url: string;
  /** application/x-www-form-urlencoded, POST only. */
  body?: string;
  /** The page that started the navigation (the consent form's page for its post); undefined when the user opened the URL from outside the browser, as from an MCP client. */
  initiator?: string;
  /** The URLs this navigation was redirected through before this one, in order. */
  redirectedFrom: string[];
}

export interface FollowResult {
  hops: Hop[];
  page?: Page;
  next?: string;
  /** The button clicked on the provider's consent page; undefined when no consent page was shown. */
  consent?: ConsentChoice;
}

export class UserAgent {
  /**
   * Loopback is a secure context to a browser, so Secure cookies are kept and
   * sent over http://localhost and http://127.0.0.1 as over https.
   */
  private readonly jar = new CookieJar(undefined, { allowSecureOnLocal: true });
  /** The navigation `follow` stopped in (stopBefore), so that following that URL next goes on with it. */
  private stopped?: Visit;

  constructor(
    private readonly timeoutMs = 15_000,
    private readonly options: UserAgentOptions = {},
  ) {}

  /**
   * Follows redirects from startUrl until a non-redirect answer, or until the
   * next hop would go where stopBefore says (the callback, say): then the
   * page is undefined and `next` holds that URL. A 200 HTML page holding the
   * consent form (`<form id="consent">`) is not an answer: its form is
   * submitted with the chosen button and the following goes on from there.
   */
  async follow(startUrl: string, options: FollowOptions = {}): Promise<FollowResult> {
    const maxHops = options.maxHops ?? 10;
    const consent = options.consent ?? this.options.consent ?? 'accept';
    const hops: Hop[] = [];
    // Following the URL a navigation stopped before is that navigation's next hop (the provider's
    // redirect to the callback, say): it stays the cross-site navigation it was.
    const resumed = this.stopped?.url === startUrl ? this.stopped : undefined;
    this.stopped = undefined;
    let visit: Visit = resumed ?? { method: 'GET', url: startUrl, redirectedFrom: [] };
    let consented: ConsentChoice | undefined;
    for (let hop = 0; hop < maxHops; hop++) {
      const { url } = visit;
      // No run ever reaches a real host: the mock and the target both listen on loopback.
      if (!isLoopback(new URL(url))) throw new Error(`user agent: refusing to visit ${new URL(url).host}: only loopback (the mock and the target) may be visited`);
      const started = performance.now();
      const response = await (options.fetch ?? fetch)(url, {
        method: visit.method,
        redirect: 'manual',
        headers: { ...(await this.cookieHeader(visit)), ...(visit.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(visit.body !== undefined ? { body: visit.body } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await this.keepCookies(url, response.headers);
      const contentType = response.headers.get('content-type') ?? '';
      const body = await response.text();
      const redirect = response.status >= 300 && response.status < 400 ? (response.headers.get('location') ?? undefined) : undefined;
      // The provider's answer to the consent post may be a page that sends the browser on (html-pages.ts in the mock says why).
      // Only that page's refresh is followed: a target's own page is the answer the harness reads, whatever it holds.
      const refresh = visit.method === 'POST' && response.status === 200 && /\btext\/html\b/i.test(contentType) ? refreshUrlOf(body) : undefined;
      const onward = redirect ?? refresh;
      const location = response.headers.get('location') ?? (refresh !== undefined ? new URL(refresh, url).toString() : undefined);
      hops.push({ method: visit.method, url, status: response.status, location, durationMs: performance.now() - started });
      if (onward !== undefined) {
        const next = new URL(onward, url);
        // Every redirect is followed with GET, as browsers do after a form post's 302/303; a refresh is a new
        // navigation, started by the page that refreshed.
        const redirected: Visit = redirect !== undefined
          ? { method: 'GET', url: next.toString(), initiator: visit.initiator, redirectedFrom: [...visit.redirectedFrom, url] }
          : { method: 'GET', url: next.toString(), initiator: url, redirectedFrom: [] };
        if (options.stopBefore?.(next)) {
          this.stopped = redirected;
          return { hops, next: redirected.url, ...(consented ? { consent: consented } : {}) };
        }
        visit = redirected;
        continue;
      }
      const form = response.status === 200 && /\btext\/html\b/i.test(contentType) ? parseConsentForm(body) : undefined;
      if (form) {
        visit = { method: 'POST', url: new URL(form.action || url, url).toString(), body: submission(form, consent), initiator: url, redirectedFrom: [] };
        consented = consent;
        continue;
      }
      return { hops, page: { url, status: response.status, body, contentType }, ...(consented ? { consent: consented } : {}) };
    }
    throw new Error(`user agent: more than ${maxHops} requests (redirects and consent posts) from ${new URL(startUrl).origin}`);
  }

  /** Cookies held that have not expired, over every host. */
  cookieCount(): number {
    const held = (this.jar.serializeSync()?.cookies ?? []).map((json) => Cookie.fromJSON(json));
    return held.filter((cookie) => cookie && (cookie.expiryTime() ?? Infinity) > Date.now()).length;
  }

  private async cookieHeader(visit: Visit): Promise<Record<string, string>> {
    const cookie = await this.jar.getCookieString(visit.url, { sameSiteContext: sameSiteContext(visit) });
    return cookie ? { cookie } : {};
  }

  private async keepCookies(url: string, headers: Headers): Promise<void> {
    for (const setCookie of headers.getSetCookie()) {
      const cookie = Cookie.parse(setCookie);
      // Browsers refuse SameSite=None without Secure (a cross-site cookie must at least not travel in clear).
      if (!cookie || (cookie.sameSite === 'none' && !cookie.secure)) continue;
      maxAgeFromReceipt(cookie);
      // No sameSiteContext on storage: every request here is a top-level navigation, whose
      // answer may set SameSite cookies even when it came cross-site. A cookie a browser would
      // refuse (a foreign Domain, a public suffix, Secure over plain http off loopback) is
      // dropped silently, as a browser does.
      await this.jar.setCookie(cookie, url, { ignoreError: true });
    }
  }
}

/**
 * Max-Age counted from now, once, as browsers do: tough-cookie counts it from
 * the cookie's last use, so a cookie sent every minute with Max-Age=120 would
 * never expire.
 */
function maxAgeFromReceipt(cookie: Cookie): void {
  if (typeof cookie.maxAge !== 'number') return;
  cookie.expires = cookie.maxAge > 0 ? new Date(Date.now() + cookie.maxAge * 1000) : new Date(0);
  cookie.maxAge = null;
}

/**
 * What a browser sends on this request of a top-level navigation. Same-site
 * (every cookie) when the page that started it and every URL it came through
 * are of the request's site; cross-site otherwise: a GET still carries Lax
 * cookies (a link followed, a redirect), a POST only SameSite=None ones.
 * A cookie with no SameSite attribute counts as None here, as in Firefox and
 * Safari; Chromium's Lax by default differs only for cross-site posts of
 * cookies more than two minutes old.
 */
function sameSiteContext(visit: Visit): 'strict' | 'lax' | 'none' {
  const site = siteOf(visit.url);
  const cameThrough = visit.initiator === undefined ? visit.redirectedFrom : [visit.initiator, ...visit.redirectedFrom];
  if (cameThrough.every((url) => siteOf(url) === site)) return 'strict';
  return visit.method === 'GET' ? 'lax' : 'none';
}

/** Scheme and registrable domain (an IP address or `localhost` stands for itself); ports do not count, as for browsers. */
function siteOf(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${getPublicSuffix(hostname, { allowSpecialUseDomain: true, ignoreError: true }) ?? hostname}`;
}

/** The consent form as a browser would submit it: attribute values decoded. */
export interface ConsentForm {
  /** As written (decoded); '' means the page's own URL. */
  action: string;
  /** The hidden inputs, in document order. */
  fields: [string, string][];
  /** The submit buttons that have a name: what clicking each one adds. */
  buttons: { name: string; value: string }[];
}

/**
 * Finds `<form id="consent">` (any attribute order, any quoting, any case)
 * and reads its action, hidden inputs and named submit buttons. Not a general
 * HTML parser: just careful enough for this one form, so a comment or a
 * script that merely mentions it is not taken for it. Undefined when the page
 * has no such form; throws when it has one that cannot be submitted by POST.
 */
export function parseConsentForm(html: string): ConsentForm | undefined {
  // Text that is not markup: a form mentioned in a comment or a script is not a form.
  const markup = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/<(script|style|textarea|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '');
  const tags = [...markup.matchAll(TAG)];
  const start = tags.findIndex((tag) => tag[1]!.toLowerCase() === 'form' && attributes(tag[2]!).get('id') === 'consent');
  if (start < 0) return undefined;
  const formAttributes = attributes(tags[start]![2]!);
  const method = (formAttributes.get('method') ?? 'get').toLowerCase();
  if (method !== 'post') throw new Error(`user agent: the consent form's method is ${JSON.stringify(method)}, not "post"`);

  const form: ConsentForm = { action: formAttributes.get('action') ?? '', fields: [], buttons: [] };
  for (const tag of tags.slice(start + 1)) {
    const name = tag[1]!.toLowerCase();
    if (name === '/form' || name === 'form') break;
    const attrs = attributes(tag[2]!);
    if (attrs.has('disabled')) continue;
    const type = (attrs.get('type') ?? (name === 'button' ? 'submit' : 'text')).toLowerCase();
    const control = attrs.get('name');
    if (name === 'input' && type === 'hidden' && control) form.fields.push([control, attrs.get('value') ?? '']);
    if ((name === 'button' || name === 'input') && type === 'submit' && control) form.buttons.push({ name: control, value: attrs.get('value') ?? '' });
  }
  return form;
}

/** The body a click on the button whose value is the choice would send. */
function submission(form: ConsentForm, choice: ConsentChoice): string {
  const button = form.buttons.find((candidate) => candidate.value === choice);
  if (!button) {
    throw new Error(`user agent: the consent form has no submit button with value "${choice}" (buttons: ${JSON.stringify(form.buttons)})`);
  }
  return new URLSearchParams([...form.fields, [button.name, button.value]]).toString();
}

/**
 * The URL of a `<meta http-equiv="refresh" content="0;url=...">` (delay 0 only: a page that waits is a page to
 * read), outside comments and scripts; undefined when there is none. The content is read as browsers read it:
 * the delay, a ';' or ',', optional `url=`, and the URL, optionally quoted.
 */
export function refreshUrlOf(html: string): string | undefined {
  const markup = html.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/<(script|style|textarea|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '');
  for (const tag of markup.matchAll(/<meta(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
    const attrs = attributes(tag[1]!);
    if (attrs.get('http-equiv')?.toLowerCase() !== 'refresh') continue;
    const content = /^\s*(\d+)(?:\.[\d.]*)?\s*(?:[;,]\s*(?:url\s*=\s*)?(["']?)(.*))?$/is.exec(attrs.get('content') ?? '');
    if (!content || Number(content[1]) !== 0) return undefined;
    const [, , quote, rest = ''] = content;
    const url = (quote ? rest.split(quote, 1)[0]! : rest).trim();
    return url === '' ? undefined : url;
  }
  return undefined;
}

/** A start or end tag of the elements the consent form is made of. Group 1: name (with '/' for an end tag), group 2: attributes. */
const TAG = /<(\/?(?:form|input|button))(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;

/** Name (lower case) to decoded value; a bare attribute has value ''. The first of a repeated name wins, as in HTML. */
function attributes(source: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const match of source.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = match[1]!.toLowerCase();
    if (!result.has(name)) result.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return result;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Numeric references and the few named ones a server escapes with; anything else is left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    const invalid = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff);
    return invalid ? '\ufffd' : String.fromCodePoint(code);
  });
}
