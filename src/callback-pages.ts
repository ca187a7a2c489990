/**
 * The HTML the browser sees after the redirect. Every page carries
 * `<main data-outcome="...">` so the harness's user agent can classify it
 * without scraping prose, and everything echoed from the request is escaped.
 */

export type CallbackOutcome =
  | 'success'
  | 'invalid-state'
  | 'provider-error'
  | 'missing-parameter'
  | 'duplicate-parameter'
  | 'token-exchange-failed'
  | 'internal-error'
  | 'not-found'
  | 'method-not-allowed'
  | 'uri-too-long';

/** Longest echoed value; the rest is cut so a hostile URL cannot inflate the page. */
const MAX_ECHO_CHARS = 512;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Characters HTML escaping leaves alone but a reader must not get raw: C0/C1
 * controls (NUL, ESC…), bidi overrides and isolates (U+202E makes
 * "exe.txt" read as "txt.exe"), zero-width characters and the BOM (hide
 * text). Tab, LF and CR are plain whitespace in HTML and stay.
 */
const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Shows an invisible or control character as its code, e.g. `\u202E`, so the page cannot be spoofed with it. */
export function showInvisible(value: string): string {
  return value.replace(INVISIBLE_OR_CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Escaped, bounded and with invisible characters shown: the only way request data enters a page. */
export function echo(value: string): string {
  const cut = value.length > MAX_ECHO_CHARS ? `${value.slice(0, MAX_ECHO_CHARS)}…` : value;
  return escapeHtml(showInvisible(cut));
}

/** A page from a title and body fragments that are already escaped HTML. */
export function renderPage(outcome: CallbackOutcome, title: string, bodyHtml: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{word-break:break-all}</style>',
    '</head>',
    '<body>',
    `<main data-outcome="${outcome}">`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...bodyHtml,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
