import { describe, expect, test } from 'vitest';
import { PASSES, REJECTED_AS_INVALID_STATE } from '../../core/expectations.ts';
import { tallyCases } from '../case-tally.ts';
import { browserRows } from './browser-rows.ts';
import type { BrowserResult, ReadPage } from './measure-browser.ts';

const page = (outcome: string, fields: Partial<ReadPage> = {}): ReadPage => ({
  label: outcome,
  url: 'http://127.0.0.1:4000/oauth/callback?code=C&state=S',
  status: outcome === 'success' ? 200 : 400,
  headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-security-policy': "default-src 'none'" },
  subresources: [],
  refused: [],
  outcome,
  message: outcome,
  ...fields,
});

const result = (fields: Partial<BrowserResult> = {}): BrowserResult => ({
  target: 'src',
  store: 'atomic-file',
  stores: ['memory', 'atomic-file'],
  flows: [
    { topology: 'split-process', store: 'atomic-file', expected: PASSES, matched: true, observed: 'pass', consent: 'page, accepted', page: page('success') },
    { topology: 'isolated', store: 'atomic-file', expected: REJECTED_AS_INVALID_STATE, matched: true, observed: `fail at state-lookup: ${REJECTED_AS_INVALID_STATE.message}`, consent: 'page, accepted', page: page('invalid-state') },
  ],
  replays: [{ id: 'x', status: 400, dialogs: [], console: [] }],
  notReplayed: [],
  durationMs: 1,
  ...fields,
});

const outcomeOf = (raw: BrowserResult, id: string, store = 'atomic-file') => browserRows(raw, raw.stores).find((row) => row.id === `browser/${id}`)?.perStore[store];

describe('browser rows', () => {
  test('a flow that failed as its scenario expects is a pass of "ends as expected", and says so', () => {
    expect(outcomeOf(result(), 'flow-isolated')).toMatchObject({ outcome: 'pass', detail: expect.stringContaining('(as expected here)') });
  });
  test('a flow that did not end as expected fails', () => {
    const raw = result();
    raw.flows[0] = { ...raw.flows[0]!, matched: false, observed: 'fail at state-lookup: lost' };
    expect(outcomeOf(raw, 'flow-split-process')?.outcome).toBe('fail');
  });
  test('the page checks turn with the headers: a page without CSP fails that row only', () => {
    const raw = result();
    raw.flows[0]!.page = page('success', { headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    expect(outcomeOf(raw, 'csp-inline-script')?.outcome).toBe('fail');
    expect(outcomeOf(raw, 'cache-control')?.outcome).toBe('pass');
  });
  test('script that ran fails the script row; nothing replayed is unknown, never a pass', () => {
    expect(outcomeOf(result({ replays: [{ id: 'x', status: 400, dialogs: [{ type: 'alert', message: '1' }], console: [] }] }), 'script-execution')?.outcome).toBe('fail');
    expect(outcomeOf(result({ replays: [] }), 'script-execution')?.outcome).toBe('unknown');
    expect(outcomeOf(result({ replays: [{ id: 'x', status: null, dialogs: [], console: [], error: 'timeout' }] }), 'script-execution')?.outcome).toBe('unknown');
  });
  test('a replay narrowed by the caller says so in the script row', () => {
    expect(outcomeOf(result({ replaySubsetOf: 72 }), 'script-execution')?.detail).toContain('no script ran in 1 replayed URLs (no dialog, no marker, no marker line); a subset the caller chose: 1 of the 72 URLs;');
    expect(outcomeOf(result(), 'script-execution')?.detail).not.toContain('subset');
  });
  test('other stores are n/a, and the rows stay out of every store tally', () => {
    const rows = browserRows(result(), ['memory', 'atomic-file']);
    expect(rows.every((row) => row.perStore.memory?.outcome === 'n/a')).toBe(true);
    expect(tallyCases(rows, 'atomic-file').judged).toBe(0);
  });
  test('no chromium: one row, n/a for every store, with the one line', () => {
    const rows = browserRows(result({ skipped: 'chromium not installed (apt-get install chromium): browser rows not run', flows: [] }), ['memory', 'atomic-file']);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.perStore['atomic-file']).toEqual({ outcome: 'n/a', detail: 'chromium not installed (apt-get install chromium): browser rows not run' });
  });
});
