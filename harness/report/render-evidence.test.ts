/**
 * Each claim says which evidence its verdict rests on: what this run
 * measured, and in a quick run what `npm run bench` would add, so that a
 * reader knows which verdicts the bench could still move.
 */
import { expect, test } from 'vitest';
import type { ClaimRow } from '../measurements/measure-context.ts';
import { evidenceOf } from '../measurements/run-measurements.ts';
import { evidenceWords, renderClaims } from './render-claims.ts';

const plan = { quick: 'forced races; 26 flows', benchAdds: 'the load curve to 64 at once' };
const claim = (evidence: ClaimRow['evidence']): ClaimRow => ({ id: 'C8', claim: 'c', measured: 'm', figure: 'f', samples: 's', verdict: 'holds', command: 'npm run repro', quick: true, ...(evidence ? { evidence } : {}) });

test('a quick run names its evidence and what the bench adds; a bench run names both as its own', () => {
  expect(evidenceWords(claim(evidenceOf(plan, true)))).toBe('this run (quick): forced races; 26 flows; `npm run bench` adds: the load curve to 64 at once');
  expect(evidenceWords(claim(evidenceOf(plan, false)))).toBe('this run (`npm run bench`): forced races; 26 flows; the load curve to 64 at once');
});

test('a claim whose bench measures nothing more says so, and the section prints the line', () => {
  const same = claim(evidenceOf({ quick: 'the scenario table', benchAdds: '' }, true));
  expect(evidenceWords(same)).toContain('`npm run bench` measures the same');
  expect(renderClaims([same], 'Claims').join('\n')).toContain('- **Evidence**: this run (quick): the scenario table;');
  expect(renderClaims([claim(undefined)], 'Claims').join('\n')).not.toContain('**Evidence**');
});
