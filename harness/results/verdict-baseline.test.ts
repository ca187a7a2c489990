/**
 * The verdict baseline against a run: any difference, better or worse, is a
 * failure naming both sides; what the run did not cover is not compared,
 * never a pass; what it covered and did not produce is stale; what it
 * produced and the baseline lacks is new. The YAML round-trips, and a
 * malformed file is an error naming where.
 */
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from './results-document.ts';
import { baselineFromYaml, baselineToYaml, BaselineFileError } from './baseline-yaml.ts';
import { baselineOf, compareWithBaseline, differenceLines, updatedBaseline, type RunScope } from './verdict-baseline.ts';

const claim = (id: string, verdict: string) => ({ id, claim: id, measured: '', figure: `${id} figure`, samples: '1', verdict, command: '', quick: true });
const cell = (scenario: string, store: string, outcome: 'pass' | 'fail') =>
  ({ scenario, store, flows: 5, observed: outcome === 'pass' ? { outcome } : { outcome, stage: 'state-lookup', message: 'Invalid state' }, stateLookups: { ok: 5, failed: 0 }, errors: [], historyFile: 'h.jsonl' });
const row = (id: string, perStore: Record<string, string>) => ({ id, group: 'security', what: id, command: '', perStore: Object.fromEntries(Object.entries(perStore).map(([s, outcome]) => [s, { outcome, detail: `${id} detail` }])) });

function run(over: { ttl?: string; entropy?: string; extraRow?: boolean } = {}): ResultsDocument {
  return {
    target: 'src',
    claims: [claim('C6', over.ttl ?? 'holds only under stated conditions')],
    cells: [cell('split-process', 'memory', 'fail'), cell('split-process', 'json-file', 'pass')],
    reliability: [row('security/state-entropy-mcp', { memory: over.entropy ?? 'pass', 'json-file': 'pass' }), ...(over.extraRow ? [row('security/new-row', { memory: 'pass' })] : [])],
    grading: { stores: [{ store: 'json-file', columns: { TTL: { grade: 'conditional', detail: '' } } }], recommendations: [{ scope: 'one host', store: 'json-file', why: '' }] },
    measurements: [
      { id: 'security', durationMs: 1, quick: true, rowIds: ['security/state-entropy-mcp', ...(over.extraRow ? ['security/new-row'] : [])] },
      { id: 'c6-ttl', durationMs: 1, quick: true, claimIds: ['C6'] },
    ],
  } as unknown as ResultsDocument;
}
const FULL: RunScope = { complete: true, scenarios: ['split-process'], stores: ['memory', 'json-file'], measurementsRan: ['security', 'c6-ttl'], allMeasurementsRan: true };

describe('compareWithBaseline', () => {
  const baseline = baselineOf(run(), 'quick');

  it('the same run: every entry passes, nothing differs', () => {
    const cases = compareWithBaseline(baseline, run(), FULL).cases;
    expect(cases.filter((c) => c.status === 'fail')).toEqual([]);
    expect(cases.length).toBe(7);
  });

  it('a claim that turned (a TTL of 14 minutes) and a row that failed (a weaker state) are each a difference naming both sides', () => {
    const cases = compareWithBaseline(baseline, run({ ttl: 'does not hold', entropy: 'fail' }), FULL).cases;
    const lines = differenceLines(cases);
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}claim C6: baseline holds only under stated conditions, this run does not hold — claim C6: the baseline says/),
      expect.stringMatching(/^ {2}security\/state-entropy-mcp × memory: baseline pass, this run fail/),
    ]);
  });

  it('better is a difference too: a known failure that passes now fails the gate until the baseline says so', () => {
    const failing = baselineOf(run({ entropy: 'fail' }), 'quick');
    failing.rows.security!['security/state-entropy-mcp']!.memory!.why = 'accepted: its state is an envelope';
    const [difference] = compareWithBaseline(failing, run(), FULL).cases.filter((c) => c.status === 'fail');
    expect(difference).toMatchObject({ expected: 'fail', observed: 'pass', evidence: expect.stringContaining('(accepted: accepted: its state is an envelope)') });
  });

  it('a verdict the baseline lacks is new; an entry a complete run no longer produces is stale', () => {
    const fresh = compareWithBaseline(baseline, run({ extraRow: true }), FULL).cases.filter((c) => c.status === 'fail');
    expect(fresh.map((c) => [c.id, c.expected])).toEqual([['security/new-row', 'not in the baseline']]);
    const withExtra = baselineOf(run({ extraRow: true }), 'quick');
    const stale = compareWithBaseline(withExtra, run(), FULL).cases.filter((c) => c.status === 'fail');
    expect(stale.map((c) => [c.id, c.observed])).toEqual([['security/new-row', 'not produced']]);
  });

  it('what a filtered run did not cover is not compared, and never counts as a pass', () => {
    const scenariosOnly: RunScope = { complete: false, scenarios: ['split-process'], stores: ['memory', 'json-file'], measurementsRan: [], allMeasurementsRan: false };
    const document = { ...run(), claims: [], reliability: [], grading: null, measurements: [] } as unknown as ResultsDocument;
    const { cases, notCompared } = compareWithBaseline(baseline, document, scenariosOnly);
    expect(cases.map((c) => [c.id, c.status])).toEqual([
      ['split-process', 'pass'],
      ['split-process', 'pass'],
    ]);
    expect(notCompared).toEqual([
      'claim C6: the measurement that judges it did not run here',
      'row security/state-entropy-mcp × memory: its measurement (security) did not run here',
      'row security/state-entropy-mcp × json-file: its measurement (security) did not run here',
      'grade json-file × TTL: grading reads every store and measurement, and this run had not all of them',
      'ship one host: grading reads every store and measurement, and this run had not all of them',
    ]);
  });

  it('a run filtered to one measurement still grades and recommends from what it had; that partial answer is not compared', () => {
    const oneMeasurement: RunScope = { complete: false, scenarios: ['split-process'], stores: ['memory', 'json-file'], measurementsRan: ['c6-ttl'], allMeasurementsRan: false };
    const partial = run();
    partial.grading!.recommendations = [{ scope: 'one host', store: 'memory', why: 'the only store this run graded' }] as never;
    const { cases, notCompared } = compareWithBaseline(baseline, partial, oneMeasurement);
    expect(cases.filter((c) => c.status === 'fail')).toEqual([]);
    expect(cases.map((c) => c.id)).toContain('C6');
    expect(notCompared).toContain('ship one host: grading reads every store and measurement, and this run had not all of them');
  });
});

describe('claims read from cells and from other claims', () => {
  // C3 is judged from isolated × json-file; C2 from split-process × json-file, and its condition from C3.
  const topology = (c3: string, c2: string) =>
    ({
      ...run(),
      claims: [
        { ...claim('C3', c3), reads: { cells: [{ scenario: 'isolated', store: 'json-file' }] } },
        { ...claim('C2', c2), reads: { cells: [{ scenario: 'split-process', store: 'json-file' }], claims: ['C3'] } },
      ],
      measurements: [{ id: 'topology-claims', durationMs: 1, quick: true, claimIds: ['C2', 'C3'] }],
    }) as unknown as ResultsDocument;
  const complete: RunScope = { complete: true, scenarios: ['split-process', 'isolated'], stores: ['json-file'], measurementsRan: ['topology-claims'], allMeasurementsRan: true };
  const splitOnly: RunScope = { complete: false, scenarios: ['split-process'], stores: ['json-file'], measurementsRan: ['topology-claims'], allMeasurementsRan: false };
  const baseline = baselineOf(topology('does not hold', 'holds only under stated conditions'), 'quick');

  it('a run that left out the cell a claim is judged from does not compare it, nor a claim that reads it', () => {
    const { cases, notCompared } = compareWithBaseline(baseline, topology('unknown', 'holds only under stated conditions'), splitOnly);
    expect(cases.filter((c) => c.kind === 'claim')).toEqual([]);
    expect(notCompared).toContain('claim C3: it is judged from isolated × json-file, which this run left out');
    expect(notCompared).toContain('claim C2: it reads C3, which this run could not judge (it is judged from isolated × json-file, which this run left out)');
  });

  it('a complete run compares them, and a turned verdict fails', () => {
    const cases = compareWithBaseline(baseline, topology('holds', 'holds only under stated conditions'), complete).cases.filter((c) => c.kind === 'claim');
    expect(cases.map((c) => [c.id, c.status])).toEqual([
      ['C3', 'fail'],
      ['C2', 'pass'],
    ]);
  });

  it('a run that left out the store a claim is judged on does not compare it', () => {
    const c8 = { ...run(), claims: [{ ...claim('C8', 'unknown'), reads: { stores: ['json-file'] } }], measurements: [{ id: 'c8', durationMs: 1, quick: true, claimIds: ['C8'] }] } as unknown as ResultsDocument;
    const withC8 = baselineOf({ ...c8, claims: [{ ...claim('C8', 'holds only under stated conditions'), reads: { stores: ['json-file'] } }] } as never, 'quick');
    const sqliteOnly: RunScope = { complete: false, scenarios: ['split-process'], stores: ['sqlite'], measurementsRan: ['c8'], allMeasurementsRan: false };
    const { cases, notCompared } = compareWithBaseline(withC8, c8, sqliteOnly);
    expect(cases.filter((c) => c.kind === 'claim')).toEqual([]);
    expect(notCompared).toContain('claim C8: it is judged on json-file, which this run left out');
  });

  it('a filtered run does not write into the baseline a claim it could not judge', () => {
    const next = updatedBaseline(baseline, topology('unknown', 'holds'), 'quick', splitOnly);
    expect(next.claims.C3).toEqual({ outcome: 'does not hold' });
    expect(next.claims.C2).toEqual({ outcome: 'holds only under stated conditions' });
  });
});

describe('updatedBaseline', () => {
  it("keeps an accepted failure's reason while its outcome holds, drops it when the outcome changes", () => {
    const previous = baselineOf(run({ entropy: 'fail' }), 'quick');
    previous.rows.security!['security/state-entropy-mcp']!.memory!.why = 'its state is an envelope';
    expect(updatedBaseline(previous, run({ entropy: 'fail' }), 'quick', FULL).rows.security!['security/state-entropy-mcp']!.memory).toEqual({ outcome: 'fail', why: 'its state is an envelope' });
    expect(updatedBaseline(previous, run(), 'quick', FULL).rows.security!['security/state-entropy-mcp']!.memory).toEqual({ outcome: 'pass' });
  });

  it('a filtered run replaces only what it covered', () => {
    const previous = baselineOf(run(), 'quick');
    const scenariosOnly: RunScope = { complete: false, scenarios: ['split-process'], stores: ['memory', 'json-file'], measurementsRan: [], allMeasurementsRan: false };
    const document = { ...run(), claims: [], reliability: [], grading: null, measurements: [] } as unknown as ResultsDocument;
    const next = updatedBaseline(previous, document, 'quick', scenariosOnly);
    expect(next.claims).toEqual(previous.claims);
    expect(next.rows).toEqual(previous.rows);
    expect(next.grades).toEqual(previous.grades);
  });
});

describe('the baseline file', () => {
  it('round-trips, one line per verdict and { outcome, why } for an accepted failure', () => {
    const baseline = baselineOf(run({ entropy: 'fail' }), 'quick');
    baseline.rows.security!['security/state-entropy-mcp']!.memory!.why = 'its state is an envelope';
    const text = baselineToYaml(baseline);
    expect(text).toContain('      json-file: pass\n');
    expect(text).toContain('why: its state is an envelope');
    expect(baselineFromYaml(text, 'b.yaml')).toEqual(baseline);
  });

  it('a malformed file is an error naming the file and the field', () => {
    expect(() => baselineFromYaml('version: 1\ntarget: x\nrun: quick\nclaims:\n  C6: 3\n', 'b.yaml')).toThrow(BaselineFileError);
    expect(() => baselineFromYaml('version: 1\ntarget: x\nrun: quick\nclaims:\n  C6: 3\n', 'b.yaml')).toThrow(/^b\.yaml: claims\.C6: /);
    expect(() => baselineFromYaml('{ not: yaml', 'b.yaml')).toThrow(/^b\.yaml: not YAML/);
  });
});
