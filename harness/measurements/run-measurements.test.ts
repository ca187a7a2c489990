/**
 * The runner of the measurement registry, with measurements that run no
 * process: n/a decided from `needs` in one place (its reason on the record,
 * its claims and columns), a crash in `run` or `check` never a pass, a
 * stand-in claim replaced by a measured one, a sequence sharing one pool.
 */
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../core/cell-result.ts';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { rowsColumn } from './grade-cell.ts';
import type { ClaimRow, MeasureContext, ReliabilityRow } from './measure-context.ts';
import { defineMeasurement } from './measurement.ts';
import { runMeasurements } from './run-measurements.ts';

const target = { name: 'a target with no store module', runtime: 'node', stores: { memory: { reach: 'process' }, 'json-file': { reach: 'host' } } } as unknown as TargetDescription;
const ctx = { target, stores: ['memory', 'json-file'], quick: true, run: {}, mock: {} } as unknown as MeasureContext;
const noMock = async () => {
  throw new Error('no mock in this test');
};
const claim = (id: string, figure: string): ClaimRow => ({ id, claim: id, measured: '', figure, samples: '1', verdict: 'holds', command: 'npm run repro', quick: true });
const row = (id: string, outcome: 'pass' | 'fail'): ReliabilityRow => ({
  id,
  group: 'hostile-input',
  what: id,
  perStore: { memory: { outcome, detail: '' }, 'json-file': { outcome, detail: '' } },
  command: 'npm run repro',
});

describe('runMeasurements', () => {
  it('a measurement whose needs the target does not meet is n/a with the reason from needs: never run, its claims unknown, its columns n/a', async () => {
    let ran = false;
    const needsStore = defineMeasurement({
      id: 'needs-store',
      needs: ['store-module'],
      claimIds: ['C5'],
      columns: [{ name: 'crash', what: 'x' }],
      run: async () => {
        ran = true;
        return null;
      },
      check: () => ({ claims: [claim('C5', 'measured')] }),
    });
    const outcome = await runMeasurements(ctx, [], [needsStore], noMock);
    expect(ran).toBe(false);
    expect(outcome.records[0]).toMatchObject({ id: 'needs-store', notApplicable: expect.stringMatching(/^needs a store module/) });
    expect(outcome.claims).toEqual([expect.objectContaining({ id: 'C5', verdict: 'unknown', conditions: expect.stringMatching(/^needs a store module/) })]);
    expect(outcome.records[0]!.columns?.[0]?.cells.memory).toMatchObject({ grade: 'n/a', detail: expect.stringContaining('needs a store module') });
  });

  it('a stand-in claim of a measurement that did not apply gives way to the same claim measured by another; without one it stays', async () => {
    const benchLike = defineMeasurement({ id: 'bench-like', needs: ['store-module'], claimIds: ['C5', 'C7'], run: async () => null, check: () => ({}) });
    const filesLike = defineMeasurement({ id: 'files-like', run: async () => null, check: () => ({ claims: [claim('C5', 'from the files')] }) });
    const { claims } = await runMeasurements(ctx, [], [benchLike, filesLike], noMock);
    expect(claims.map((c) => [c.id, c.figure])).toEqual([
      ['C5', 'from the files'],
      ['C7', '–'],
    ]);
  });

  it('a crash in run or in check makes its claims unknown and its columns not measured, never a pass', async () => {
    const crashes = defineMeasurement({
      id: 'crashes',
      claimIds: ['C8'],
      columns: [{ name: 'concurrency', what: 'x' }],
      run: async () => {
        throw new Error('deployments would not start');
      },
      check: () => ({ claims: [claim('C8', 'never')] }),
    });
    const checkCrashes = defineMeasurement({
      id: 'check-crashes',
      claimIds: ['C6'],
      run: async () => ({ probes: [] as number[] }),
      check: (recorded: { probes: number[] }) => ({ claims: [claim('C6', String(recorded.probes[0]!.toFixed()))] }),
    });
    const outcome = await runMeasurements(ctx, [], [crashes, checkCrashes], noMock);
    expect(outcome.records.map((r) => r.error)).toEqual(['deployments would not start', expect.stringMatching(/^its rows could not be computed/)]);
    expect(outcome.claims.map((c) => [c.id, c.verdict])).toEqual([
      ['C6', 'unknown'],
      ['C8', 'unknown'],
    ]);
    expect(outcome.records[0]!.columns?.[0]?.cells['json-file']?.grade).toBe('not measured');
  });

  it('checks are pure functions of the record: rows, declared columns and published values reach the outcome and the record', async () => {
    const hostileLike = defineMeasurement({
      id: 'hostile-like',
      columns: [{ name: 'hostile input', what: 'the rows' }],
      run: async () => ({ outcomes: ['pass', 'fail'] as const }),
      check: (recorded: { outcomes: readonly ('pass' | 'fail')[] }, { stores }) => {
        const rows = recorded.outcomes.map((o, i) => row(`case-${i}`, o));
        return { rows, grades: { 'hostile input': rowsColumn(rows, stores) }, published: { 'default-store': { store: 'memory' } } };
      },
    });
    const outcome = await runMeasurements(ctx, [] as CellResult[], [hostileLike], noMock);
    expect(outcome.reliability.map((r) => r.id)).toEqual(['case-0', 'case-1']);
    expect(outcome.records[0]!.columns?.[0]).toMatchObject({ name: 'hostile input', cells: { memory: { grade: 'fail', count: { passed: 1, judged: 2 } } } });
    expect(outcome.records[0]!.published).toEqual({ 'default-store': { store: 'memory' } });
  });

  it('the measurements of one sequence run in list order on one pool; one that does not apply leaves the others running', async () => {
    const seen: unknown[] = [];
    const member = (id: string, needs?: 'token-tool') =>
      defineMeasurement({
        id,
        sequence: 'shared',
        ...(needs ? { needs: [needs] as const } : {}),
        run: async (c) => {
          seen.push([id, c.sequencePool]);
          return null;
        },
        check: () => ({}),
      });
    const outcome = await runMeasurements(ctx, [], [member('first'), member('needs-token-tool', 'token-tool'), member('last')], noMock);
    expect(seen.map((s) => (s as unknown[])[0])).toEqual(['first', 'last']);
    const pools = seen.map((s) => (s as unknown[])[1]);
    expect(pools[0]).toBeDefined();
    expect(pools[1]).toBe(pools[0]);
    expect(outcome.records.map((r) => r.notApplicable ?? 'ran')).toEqual(['ran', expect.stringMatching(/^needs a token tool/), 'ran']);
  });
});

describe('evidence', () => {
  it('each claim row carries the evidence its measurement declares for that claim id, and only that one', async () => {
    const measurement = defineMeasurement({
      id: 'evidence-probe',
      claimIds: ['C1', 'C2'],
      evidence: { C1: { quick: 'two flows', benchAdds: 'two hundred' } },
      run: async () => null,
      check: () => ({ claims: ['C1', 'C2'].map((id): ClaimRow => ({ id, claim: id, measured: '', figure: '', samples: '', verdict: 'holds', command: '', quick: true })) }),
    });
    const ctx = { stores: ['memory'], quick: true, target: { name: 't', stores: { memory: {} } } } as unknown as MeasureContext;
    const outcome = await runMeasurements(ctx, [], [measurement], async () => {
      throw new Error('no mock wanted');
    });
    expect(outcome.claims.find((c) => c.id === 'C1')!.evidence).toEqual({ run: 'quick', used: 'two flows', benchAdds: 'two hundred' });
    expect(outcome.claims.find((c) => c.id === 'C2')!.evidence).toBeUndefined();
  });
});
