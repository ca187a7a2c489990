/**
 * Did anything a hostile request carried come back unescaped? Judged from the
 * raw bytes the callback returned, never from a parsed DOM (a browser would
 * "fix" exactly what we look for). Target-agnostic: what markup is the
 * page's own is learnt from benign requests to the same callback (the
 * vocabulary), not from knowing its template.
 */

export interface MarkupVocabulary {
  tags: Set<string>;
  attributes: Set<string>;
  /** The benign pages themselves, lower-cased: a fragment they contain is the page's own text. */
  benignText?: string;
}

export type EchoFindingKind = 'markup-echo' | 'new-tag' | 'new-attribute' | 'event-handler' | 'control-echo' | 'header-injection';

export interface EchoFinding {
  kind: EchoFindingKind;
  /** What was found, JSON-quoted so control characters stay visible. */
  detail: string;
}

const TAG = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?/g;

/** Tag and attribute names of one page. */
export function markupOf(html: string): MarkupVocabulary {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const match of html.matchAll(TAG)) {
    tags.add(match[1]!.toLowerCase());
    for (const attr of (match[2] ?? '').matchAll(ATTRIBUTE)) attributes.add(attr[1]!.toLowerCase());
  }
  return { tags, attributes };
}

export function mergeVocabulary(pages: readonly string[]): MarkupVocabulary {
  const merged: MarkupVocabulary = { tags: new Set(), attributes: new Set(), benignText: pages.join('\n').toLowerCase() };
  for (const page of pages) {
    const { tags, attributes } = markupOf(page);
    for (const t of tags) merged.tags.add(t);
    for (const a of attributes) merged.attributes.add(a);
  }
  return merged;
}

/**
 * Characters that are harmless to HTML but not to the person reading the page
 * (bidi overrides reorder the text around them, zero-width ones hide
 * content) or to a terminal a log is viewed in (ESC, other C0/C1 controls).
 */
export const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Substrings of a payload that, found raw in a page, mean markup went through unescaped. */
export function dangerousFragments(value: string): string[] {
  const fragments = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch !== '<' && ch !== '"' && ch !== "'" && ch !== '>') continue;
    const next = value[i + 1] ?? '';
    // Only characters that could start markup or leave an attribute value.
    if (ch === '<' && !/[a-zA-Z/!?]/.test(next)) continue;
    let fragment = value.slice(i, i + 12);
    if (fragment.length < 4) fragment = value.slice(Math.max(0, i + fragment.length - 4), i + fragment.length);
    if (fragment.length >= 4) fragments.add(fragment);
  }
  return [...fragments];
}

export interface EchoScanInput {
  body: string;
  headerBlock: string;
  /** Decoded values (and path) the request carried. */
  payloads: readonly string[];
  /** The page's own markup, from benign requests. */
  vocabulary: MarkupVocabulary;
}

export function scanEcho(input: EchoScanInput): EchoFinding[] {
  const findings: EchoFinding[] = [];
  const lowerBody = input.body.toLowerCase();

  for (const value of input.payloads) {
    for (const fragment of dangerousFragments(value)) {
      const lower = fragment.toLowerCase();
      if (lowerBody.includes(lower) && !input.vocabulary.benignText?.includes(lower)) findings.push({ kind: 'markup-echo', detail: JSON.stringify(fragment) });
    }
  }

  const markup = markupOf(input.body);
  for (const tag of markup.tags) if (!input.vocabulary.tags.has(tag)) findings.push({ kind: 'new-tag', detail: `<${tag}>` });
  for (const attribute of markup.attributes) {
    if (/^on[a-z]+$/.test(attribute)) findings.push({ kind: 'event-handler', detail: attribute });
    else if (!input.vocabulary.attributes.has(attribute)) findings.push({ kind: 'new-attribute', detail: attribute });
  }

  const sent = new Set(input.payloads.flatMap((v) => v.match(INVISIBLE_OR_CONTROL) ?? []));
  const echoed = new Set((input.body.match(INVISIBLE_OR_CONTROL) ?? []).filter((ch) => sent.has(ch)));
  for (const ch of echoed) findings.push({ kind: 'control-echo', detail: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` });

  const headers = input.headerBlock.toLowerCase();
  for (const value of input.payloads) {
    if (!/[\r\n]/.test(value)) continue;
    for (const line of value.split(/\r\n|\r|\n/).slice(1)) {
      const header = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (header && headers.includes(`\r\n${header[1]!.toLowerCase()}: ${header[2]!.toLowerCase()}`)) {
        findings.push({ kind: 'header-injection', detail: JSON.stringify(line) });
      }
    }
  }
  return findings;
}
