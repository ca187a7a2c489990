/**
 * Regression: a hostile state reached the logs raw. `state=x%0D%0ASet-Cookie…`
 * made the callback process write a second, forged log line ("Set-C…" from
 * shortId's first 8 characters), and ESC sequences or a bidi override went to
 * the terminal as they were (src/log.ts). Also pins the page side: the
 * invalid-state page echoed the same characters raw (src/callback-pages.ts).
 */
import { describe, expect, it } from 'vitest';
import { echo } from '../../../src/callback-pages.ts';
import { createLogger, shortId } from '../../../src/log.ts';

describe('a hostile state in a log line', () => {
  it('stays one line, with CR, LF, ESC, NUL and bidi characters shown, not written', () => {
    const lines: string[] = [];
    const log = createLogger('callback', (line) => lines.push(line));
    log.warn(`Unknown OAuth state ${shortId('x\r\nSet-Cookie: pwned=1')}`);
    log.warn(`Unknown OAuth state ${'\u001b[31mred\u0000\u202Etxt.exe'}`);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Unknown OAuth state x\\r\\nSet-C…');
    expect(lines[1]).toContain('\\u001B[31mred\\u0000\\u202Etxt.exe');
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});

describe('a hostile state echoed in a page', () => {
  it('shows control, bidi and zero-width characters as codes and still escapes markup', () => {
    expect(echo('\u202Etxt.exe<b>\u200B\u0000')).toBe('\\u202Etxt.exe&lt;b&gt;\\u200B\\u0000');
    expect(echo('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
  });
});
