/**
 * A long figure text ("a: x, y (z); b: …") shortened to a headline of about
 * 100 characters for REPORT.md's first screen, by dropping detail in steps
 * (long quotations, then parentheses, then spaces around slashes, then all but
 * the first item of each clause) instead of cutting a word in half. The whole
 * text stays in the claim's own section.
 */

export const HEADLINE_BUDGET = 100;

/** Splits at `sep` outside parentheses and quotes. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function dropParentheses(text: string): string {
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  return out.replace(/\s+([,;:.])/g, '$1').replace(/\s{2,}/g, ' ').trim();
}

const LEVELS: ((clause: string) => string)[] = [
  // Quotations over 24 characters (an error message) say little in a headline.
  (c) => c.replace(/\s*\("[^"]{25,}"\)/g, '').replace(/"[^"]{25,}"/g, '"…"'),
  (c) => dropParentheses(c),
  (c) => c.replace(/ \/ /g, '/'),
  (c) => {
    // "label: a, b, c" keeps "label: a".
    const colon = c.indexOf(': ');
    const head = colon >= 0 ? c.slice(0, colon + 2) : '';
    return head + (splitTopLevel(c.slice(head.length), ', ')[0] ?? '');
  },
];

function cutAtWord(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(0, budget - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > budget / 2 ? cut.slice(0, space) : cut).replace(/[,;:]$/, '')}…`;
}

/** The fewest steps of shortening that keep the most clauses (in order, up to two) within the budget. */
export function headline(text: string, budget = HEADLINE_BUDGET): string {
  const clauses = splitTopLevel(text.replace(/\s+/g, ' ').trim(), '; ');
  if (clauses.length === 0) return '';
  let best: { kept: string[]; more: boolean } | undefined;
  let shortened = clauses;
  for (const level of LEVELS) {
    shortened = shortened.map(level);
    const kept: string[] = [];
    for (const clause of shortened) {
      const next = [...kept, clause].join('; ');
      const more = kept.length + 1 < shortened.length;
      if (next.length + (more ? 2 : 0) > budget) break;
      kept.push(clause);
    }
    // Two clauses say enough for a headline: more is not worth a further step of shortening.
    const worth = (n: number) => Math.min(n, 2);
    if (kept.length > 0 && (!best || worth(kept.length) > worth(best.kept.length))) best = { kept, more: kept.length < clauses.length };
    if (best && worth(best.kept.length) === worth(clauses.length)) break;
  }
  if (!best) return cutAtWord(shortened[0]!, budget);
  return `${best.kept.join('; ')}${best.more ? ' …' : ''}`;
}
