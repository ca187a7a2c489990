/** The C8 chart's input from fixed results. */
import { expect, test } from 'vitest';
import type { ConcurrencyResult } from './concurrency-result.ts';
import { successRateChart, successRateChartInput } from './success-rate-chart.ts';

const lvl = (concurrency: number, lookups: number, flows: number) => ({
  concurrency,
  flows: 100,
  passed: flows,
  stateLookups: { ok: lookups, failed: 100 - lookups },
  tokenExchanges: { ok: lookups, failed: 0 },
  tokenHandoffs: { ok: flows, failed: lookups - flows, superseded: 0, notObservable: 0 },
  stateLookupRate: lookups / 100,
  flowRate: flows / 100,
  errors: [],
  durationMs: 1,
  historyFile: 'h.jsonl',
});

const result: ConcurrencyResult = {
  quick: true,
  stores: [
    { store: 'json-file', topology: 'split-process', processes: [], levels: [lvl(1, 100, 100), lvl(64, 34, 28)], durationMs: 1 },
    { store: 'broken', topology: 'split-process', processes: [], levels: [], error: 'did not start', durationMs: 1 },
  ],
};

// Regression: twelve series in one plot hid the stores at 100 %; each store now has its own panel.
test('one panel per measured store, one line per measure, in percent from 0 to 100, on a log x axis', () => {
  const input = successRateChartInput(result);
  expect(input).toMatchObject({ logX: true, yLabel: 'success rate (%)', yDomain: [0, 100], title: expect.stringContaining('quick run') });
  expect(input.series).toEqual([
    { name: 'state lookups', panel: 'json-file', points: [{ x: 1, y: 100 }, { x: 64, y: 34 }] },
    { name: 'whole flows', panel: 'json-file', points: [{ x: 1, y: 100 }, { x: 64, y: 28 }] },
  ]);
});

test('the x axis says how many flows stand behind each point', () => {
  expect(successRateChartInput(result).xNote).toBe('n = 100 / 100 flows per point');
});

test('the chart is named for its file and carries the same input', () => {
  expect(successRateChart(result)).toEqual({ id: 'c8-success-vs-concurrency', input: successRateChartInput(result) });
});

// The note used to sit under the x axis, which a faceted chart repeats under every panel: the long line ran into its neighbours.
test('a point measured short of its overlap is named in the subtitle, on a line of its own', () => {
  const short = structuredClone(result);
  short.stores[0]!.levels[1]!.overlap = { windows: 100, maxInFlight: 64, medianInFlight: 40, callbacks: 100, callbacksDuringOtherStarts: 0, nominalReached: false };
  const input = successRateChartInput(short);
  expect(input.xNote).toBe('n = 100 / 100 flows per point');
  expect(input.subtitle!.split('; ').at(-1)).toBe('short of their overlap (too few in flight, or not interleaved): json-file at 64');
});
