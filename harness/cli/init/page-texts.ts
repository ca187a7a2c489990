/**
 * What the callback's pages say, read from the text in the server's string
 * literals: the success page, the page for a state it does not know, a
 * failure page, and a page of its own for an expired sign-in. Headings
 * (<h1>, <h2>, <title>) are preferred: they are what a page is about. Each
 * becomes a regex over the page's text, from the literal's fixed part.
 */
import type { SourceFile } from './source-files.ts';

export interface PageTexts {
  success?: string;
  invalidState?: string;
  failure?: string;
  expired?: string;
}

interface Phrase {
  text: string;
  heading: boolean;
}

const LITERAL = /'((?:[^'\\\n]|\\.){6,400})'|"((?:[^"\\\n]|\\.){6,400})"|`((?:[^`\\]|\\.){6,800})`/g;
const HEADING = /<(h[1-3]|title)[^>]*>([^<]{4,})<\/\1>/gi;

/** Every phrase a page could show: heading texts, and the text of each literal outside its tags, cut at the first interpolation. */
export function phrasesOf(files: readonly SourceFile[]): Phrase[] {
  const phrases: Phrase[] = [];
  for (const { text } of files) {
    for (const m of text.matchAll(LITERAL)) {
      const literal = (m[1] ?? m[2] ?? m[3]!).replace(/\\(['"`\\])/g, '$1');
      for (const h of literal.matchAll(HEADING)) phrases.push({ text: fixedPart(h[2]!), heading: true });
      for (const part of literal.replace(/<[^>]*>/g, '\n').split('\n')) phrases.push({ text: fixedPart(part), heading: false });
    }
  }
  // A heading may be two words ("Authorization complete"); other text needs three to read as a sentence rather than an identifier.
  return phrases.filter((p) => p.text.length >= 8 && (p.heading ? /[a-z]{2,}\S*\s+\S*[a-z]{2,}/i : /[a-z]{3,}\s+\S+\s+\S+/i).test(p.text) && !/^(?:import|export|https?:)/.test(p.text));
}

const fixedPart = (text: string) => text.split('${')[0]!.trim().replace(/[:\s-]+$/, '');

/** Words that say a state is not known (invalid, expired, unknown, mismatched). */
export const INVALID_STATE = /\bstate\b[^.]*\b(?:invalid|expired|unknown|mismatch|not found|missing)|(?:invalid|expired|unknown|mismatch(?:ed)?)\b[^.]*\bstate\b/i;
const EXPIRED_ONLY = /\bexpired\b/i;
const FAILURE = /\b(?:fail(?:ed|ure)?|error|could not|couldn't|went wrong|denied)\b/i;
const SUCCESS = /\b(?:success(?:ful(?:ly)?)?|connected|authenticated|authori[sz]ed|signed in|logged in|complete[d]?)\b/i;
const NEGATIVE = /\b(?:not|fail|failed|error|invalid|could|couldn't|cannot|denied|expired|missing)\b/i;

export function readPageTexts(files: readonly SourceFile[]): PageTexts {
  const phrases = phrasesOf(files);
  const best = (test: (p: Phrase) => boolean) => {
    const found = phrases.filter(test);
    return (found.find((p) => p.heading) ?? found[0])?.text;
  };
  const invalidState = best((p) => INVALID_STATE.test(p.text) && !/^\s*(?:if|const|throw)\b/.test(p.text));
  const success = best((p) => SUCCESS.test(p.text) && !NEGATIVE.test(p.text));
  const failure = best((p) => FAILURE.test(p.text) && p.text.length <= 80 && p.text !== invalidState);
  // An expired sign-in with a page of its own: one that says expired and is not the unknown-state page.
  const expired = best((p) => EXPIRED_ONLY.test(p.text) && p.text !== invalidState && !INVALID_STATE.test(p.text) && !FAILURE.test(p.text));
  return { ...(success ? { success } : {}), ...(invalidState ? { invalidState } : {}), ...(failure ? { failure } : {}), ...(expired ? { expired } : {}) };
}

/** A page phrase as a regex source: its words, escaped, whitespace matched loosely. */
export function phrasePattern(phrase: string): string {
  return phrase.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\s+/g, '\\s+');
}
