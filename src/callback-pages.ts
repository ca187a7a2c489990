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

/** Escaped and bounded: the only way request data enters a page. */
export function echo(value: string): string {
  const cut = value.length > MAX_ECHO_CHARS ? `${value.slice(0, MAX_ECHO_CHARS)}…` : value;
  return escapeHtml(cut);
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
