import { describe, expect, it } from 'vitest';
import { dangerousFragments, markupOf, mergeVocabulary, scanEcho } from './echo-scan.ts';

const TEMPLATE = (inner: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>T</title></head><body><main data-outcome="x"><p data-field="state">${inner}</p></main></body></html>`;
const vocabulary = mergeVocabulary([TEMPLATE('benign')]);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const scan = (body: string, payloads: string[], headerBlock = 'HTTP/1.1 400 Bad Request\r\ncontent-type: text/html') =>
  scanEcho({ body, headerBlock, payloads, vocabulary });

describe('scanEcho', () => {
  const payloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg/onload=alert(1)>", '</code></p></main><iframe src=javascript:alert(1)>'];

  it.each(payloads)('finds %s echoed raw', (payload) => {
    const findings = scan(TEMPLATE(payload), [payload]);
    expect(findings.map((f) => f.kind)).toContain('markup-echo');
    expect(findings.some((f) => f.kind === 'new-tag' || f.kind === 'event-handler' || f.kind === 'new-attribute')).toBe(true);
  });

  it.each(payloads)('accepts %s escaped', (payload) => {
    expect(scan(TEMPLATE(escape(payload)), [payload])).toEqual([]);
  });

  it('finds an event handler even on a tag the page already uses', () => {
    expect(scan(TEMPLATE('<p onclick="x()">hi</p>'), ['nothing dangerous'])).toContainEqual({ kind: 'event-handler', detail: 'onclick' });
  });

  it('finds a bidi override or NUL that came from the request, not one the page has itself', () => {
    expect(scan(TEMPLATE('\u202Etxt.exe'), ['\u202Etxt.exe'])).toContainEqual({ kind: 'control-echo', detail: 'U+202E' });
    expect(scan(TEMPLATE('a\u0000b'), ['a\u0000b'])).toContainEqual({ kind: 'control-echo', detail: 'U+0000' });
    expect(scan(TEMPLATE('\u202E'), ['plain'])).toEqual([]);
    expect(scan(TEMPLATE('\\u202Etxt.exe'), ['\u202Etxt.exe'])).toEqual([]);
  });

  it('finds a header a CRLF in the request managed to set', () => {
    const payload = 'x\r\nX-Injected: 1';
    expect(scan(TEMPLATE('x'), [payload], 'HTTP/1.1 400 Bad Request\r\nx-injected: 1\r\ncontent-type: text/html')).toContainEqual({ kind: 'header-injection', detail: JSON.stringify('X-Injected: 1') });
    expect(scan(TEMPLATE('x'), [payload])).toEqual([]);
  });
});

describe('dangerousFragments', () => {
  it('keeps what could start markup or leave an attribute, at least 4 characters', () => {
    expect(dangerousFragments('<script>alert(1)</script>')).toContain('<script>aler');
    expect(dangerousFragments('a < b')).toEqual([]);
    expect(dangerousFragments('ab">')).toEqual(['ab">']);
  });
});

describe('markupOf', () => {
  it('reads tag and attribute names, quoted values with ">" included', () => {
    const { tags, attributes } = markupOf('<a href="x>y" data-x=\'1\'>t</a><br/>');
    expect([...tags]).toEqual(['a', 'br']);
    expect([...attributes]).toEqual(['href', 'data-x']);
  });
});
