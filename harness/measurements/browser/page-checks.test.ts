import { describe, expect, test } from 'vitest';
import { effectiveReferrerPolicy, inlineScriptVerdict, judgeCacheControl, judgeCsp, judgeReferrerPolicy, judgeScriptExecution, judgeThirdParty, type CheckedPage } from './page-checks.ts';

const SRC_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};
const page = (fields: Partial<CheckedPage> = {}): CheckedPage => ({
  label: 'success (split-process)',
  url: 'http://127.0.0.1:4000/oauth/callback?code=CODE123&state=S',
  status: 200,
  headers: { ...SRC_HEADERS },
  subresources: [],
  refused: [],
  ...fields,
});

describe('Cache-Control', () => {
  test('no-store passes, among other directives too', () => {
    expect(judgeCacheControl([page(), page({ headers: { 'cache-control': 'private, no-store, max-age=0' } })]).ok).toBe(true);
  });
  test('absent or no-cache only fails, naming the page and the header', () => {
    const verdict = judgeCacheControl([page({ headers: {} }), page({ label: 'invalid state', headers: { 'cache-control': 'no-cache' } })]);
    expect(verdict).toEqual({ ok: false, detail: 'no Cache-Control on success (split-process); Cache-Control "no-cache" on invalid state' });
  });
});

describe('Referrer-Policy', () => {
  test('the last known token wins', () => {
    expect(effectiveReferrerPolicy('no-referrer, unsafe-url')).toBe('unsafe-url');
    expect(effectiveReferrerPolicy('unsafe-url, bogus-policy')).toBe('unsafe-url');
    expect(effectiveReferrerPolicy(undefined)).toBeUndefined();
  });
  test('no-referrer, origin and strict-origin keep the query out', () => {
    for (const policy of ['no-referrer', 'origin', 'strict-origin']) expect(judgeReferrerPolicy([page({ headers: { 'referrer-policy': policy } })]).ok).toBe(true);
  });
  test('the browser default and same-origin send the code to the same origin: fail', () => {
    expect(judgeReferrerPolicy([page({ headers: {} })]).detail).toMatch(/^no Referrer-Policy on success \(split-process\): the browser default/);
    expect(judgeReferrerPolicy([page({ headers: { 'referrer-policy': 'same-origin' } })]).ok).toBe(false);
  });
  test('a request that carried the code in Referer fails whatever the header said', () => {
    const leaked = page({ subresources: [{ url: 'http://127.0.0.1:4000/logo.png', resourceType: 'image', referer: 'http://127.0.0.1:4000/oauth/callback?code=CODE123&state=S' }] });
    expect(judgeReferrerPolicy([leaked])).toMatchObject({ ok: false, detail: expect.stringContaining('the code went out in the Referer of http://127.0.0.1:4000/logo.png') });
  });
});

describe('Content-Security-Policy', () => {
  test("default-src 'none' forbids inline script (src/'s policy)", () => {
    expect(inlineScriptVerdict(SRC_HEADERS['content-security-policy']).forbidden).toBe(true);
  });
  test("script-src governs over default-src; 'unsafe-inline' there allows it", () => {
    expect(inlineScriptVerdict("default-src 'none'; script-src 'self' 'unsafe-inline'")).toEqual({ forbidden: false, why: "script-src allows 'unsafe-inline'" });
  });
  test("a nonce switches 'unsafe-inline' off (CSP level 3)", () => {
    expect(inlineScriptVerdict("script-src 'nonce-abc' 'unsafe-inline'").forbidden).toBe(true);
  });
  test('no header, or a policy without script-src/default-src, fails with why', () => {
    expect(judgeCsp([page({ headers: {} })]).detail).toBe('no Content-Security-Policy header on success (split-process)');
    expect(inlineScriptVerdict("frame-ancestors 'none'")).toEqual({ forbidden: false, why: 'neither script-src nor default-src' });
  });
  test('of two policies, one that forbids is enough', () => {
    expect(inlineScriptVerdict("frame-ancestors 'none'\nscript-src 'self'").forbidden).toBe(true);
  });
});

describe('third-party requests', () => {
  test('same-origin requests pass and are counted', () => {
    expect(judgeThirdParty([page({ subresources: [{ url: 'http://127.0.0.1:4000/x', resourceType: 'image' }] })])).toEqual({ ok: true, detail: 'no request to another host from success (split-process) (1 same-origin request)' });
  });
  test('another host, even refused, fails', () => {
    expect(judgeThirdParty([page({ refused: ['https://fonts.example/font.css'] })])).toMatchObject({ ok: false, detail: expect.stringContaining('https://fonts.example/font.css') });
  });
});

describe('script execution', () => {
  const quiet = { id: 'a', status: 400, dialogs: [], console: [] };
  test('a dialog, a marker or the marker line each count as script that ran', () => {
    const verdict = judgeScriptExecution([
      quiet,
      { ...quiet, id: 'dialog', dialogs: [{ type: 'alert', message: '1' }] },
      { ...quiet, id: 'marker', marker: 'm' },
      { ...quiet, id: 'console', console: ['oauth-repro-marker console'] },
    ]);
    expect(verdict.ok).toBe(false);
    expect(verdict.ran.map((line) => line.split(':')[0])).toEqual(['dialog', 'marker', 'console']);
  });
  test('nothing ran: pass, with the CSP blocks counted and unanswered URLs named', () => {
    const verdict = judgeScriptExecution([quiet, { ...quiet, id: 'b', console: ["Refused to execute inline script because it violates the following Content Security Policy directive"] }, { ...quiet, id: 'c', status: null, error: 'timeout' }]);
    expect(verdict.ok).toBe(true);
    expect(verdict.detail).toMatch(/the CSP blocked an inline script or handler on 1; 1 got no answer/);
  });
});
