/**
 * Regression: C2 and C4 carried fixed condition text pointing
 * to C3 and C8 whatever those measured. Their conditions now come from the
 * C3 and C8 rows of the same run.
 */
import { describe, expect, it } from 'vitest';
import type { ClaimRow } from '../measure-context.ts';
import type { CellResult } from '../../core/cell-result.ts';
import { claimC3, refineTopologyClaims } from './topology-claims.ts';

const row = (id: string, verdict: ClaimRow['verdict'], figure = `${id} figure`): ClaimRow => ({ id, claim: id, measured: '', figure, samples: '1', verdict, command: 'npm run repro', quick: true });

describe('refineTopologyClaims', () => {
  const own = [row('C2', 'holds'), row('C4', 'holds')];

  it('states the host and overlap conditions with the figures C3 and C8 measured', () => {
    const refined = refineTopologyClaims(own, [...own, row('C3', 'does not hold', 'isolated × json-file: 0/5'), row('C8', 'holds only under stated conditions', 'whole flows 100% / 47%')]);
    expect(refined[0]).toMatchObject({ verdict: 'holds only under stated conditions', conditions: expect.stringContaining('C3: isolated × json-file: 0/5') });
    expect(refined[0]!.conditions).toContain('flows must not overlap (C8 holds only under stated conditions: whole flows 100% / 47%)');
    expect(refined[1]).toMatchObject({ verdict: 'holds only under stated conditions', conditions: expect.stringContaining('the restarted process needs one host') });
  });

  it('when C3 and C8 hold, C2 and C4 hold without conditions (the old fixed text said otherwise)', () => {
    const refined = refineTopologyClaims(own, [...own, row('C3', 'holds'), row('C8', 'holds')]);
    expect(refined.map((r) => [r.verdict, r.conditions])).toEqual([
      ['holds', undefined],
      ['holds', undefined],
    ]);
  });

  it('a claim that did not hold stays as measured', () => {
    expect(refineTopologyClaims([row('C2', 'does not hold')], [row('C3', 'holds')])[0]!.verdict).toBe('does not hold');
  });
});

// Regression: C3's figure said "0/5 tokens handed to the tool process" for a target with no token tool, where no hand-off can be seen.
describe('figures say only what the target lets anyone see', () => {
  const cellOf = (scenario: string, store: string, ok: boolean, notObservable: number): CellResult =>
    ({
      scenario,
      store,
      flows: 5,
      stateLookups: { ok: ok ? 5 : 0, failed: ok ? 0 : 5 },
      tokenExchanges: { ok: ok ? 5 : 0, failed: 0 },
      tokenHandoffs: { ok: ok && notObservable === 0 ? 5 : 0, failed: 0, superseded: 0, notObservable },
    }) as unknown as CellResult;

  it('no token tool: no figure counts tokens handed over, the codes exchanged are counted instead', () => {
    const cells = [cellOf('single-process', 'json-file', true, 5), cellOf('isolated', 'json-file', false, 0)];
    const c3 = claimC3(cells);
    expect(c3.figure).toBe('isolated × json-file: 0/5 state lookups ok, 0/5 codes exchanged, token hand-off not observable on this target');
    expect(c3.verdict).toBe('does not hold');
  });

  it('with a token tool the hand-off is counted, failures included', () => {
    const cells = [cellOf('single-process', 'json-file', true, 0), cellOf('isolated', 'json-file', false, 0)];
    expect(claimC3(cells).figure).toContain('0/5 tokens handed to the tool process');
  });
});
