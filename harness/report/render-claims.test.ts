/**
 * Regression: REPORT.md's reliability line counted every
 * row a store appeared in ("103 of 119 cases pass"), n/a and recorded
 * included, and printed them in bold like verdicts. Only verdicts count now.
 * (An n/a says why once per table, not in every cell.)
 */
import { expect, test } from 'vitest';
import type { CaseOutcome, ReliabilityRow } from '../measurements/measure-context.ts';
import { renderReliability } from './render-claims.ts';

const row = (id: string, outcomes: Record<string, CaseOutcome>): ReliabilityRow => ({
  id,
  group: 'fault',
  what: id,
  perStore: Object.fromEntries(Object.entries(outcomes).map(([store, outcome]) => [store, { outcome, detail: `${outcome} because` }])),
  command: 'npm run repro',
});

const rows = [
  row('crash-mid-write', { redis: 'n/a', sqlite: 'pass' }),
  row('write-error-eio', { redis: 'n/a', sqlite: 'fail' }),
  row('forced-double-use', { redis: 'pass', sqlite: 'pass' }),
  row('state-survives-retry', { redis: 'recorded', sqlite: 'recorded' }),
];

test('the tally counts verdicts only and says what it left out', () => {
  const text = renderReliability(rows).join('\n');
  expect(text).toContain('`redis`: 1/1 cases (not counted: 2 n/a, 1 recorded) passed; `sqlite`: 2/3 cases (not counted: 1 recorded) passed.');
});

test('n/a and recorded cells are plain words, verdicts are bold; n/a says why once', () => {
  const text = renderReliability(rows).join('\n');
  expect(text).toContain('| crash-mid-write | n/a | **pass**: pass because |');
  expect(text).toContain('- **n/a** for `redis` (2 rows): n/a because');
  expect(text.match(/n\/a because/g)).toHaveLength(1);
  expect(text).toContain('recorded: recorded because');
});
