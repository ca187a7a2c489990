/**
 * C1–C4 across replicas from remote cells alone: each verdict follows the
 * cells of the write-up's designs, turns when a cell turns, and is unknown
 * (with why) when the table lacks the cells a claim is read from.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import { remoteClaims } from './remote-claims.ts';

type Shape = Pick<RemoteCellResult, 'scenario' | 'store' | 'replicas' | 'policy' | 'hosts'> & { completed: boolean; restarted?: boolean; added?: boolean };

function cell(shape: Shape): RemoteCellResult {
  const flows = [1, 2, 3].map((flow) => ({
    flow,
    outcome: shape.completed ? ({ outcome: 'completed' } as const) : ({ outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', replica: 'a', createdOn: 'b' } as const),
    hops: shape.completed ? 16 : 5,
    replicas: ['a', 'b'],
    durationMs: 50,
    userAgent: 'http' as const,
  }));
  return {
    ...shape,
    flows,
    completed: shape.completed ? 3 : 0,
    lost: shape.completed ? {} : { registration: 3 },
    expected: { outcome: 'pass' },
    matched: true,
    operations: [
      { op: 'start', replica: 'a', atMs: 0 },
      ...(shape.restarted ? [{ op: 'stop' as const, replica: 'a', atMs: 500 }] : []),
      ...(shape.added ? [{ op: 'add' as const, replica: 'c', atMs: 600 }] : []),
    ],
    durationMs: 900,
    historyFile: 'remote/x.jsonl',
  };
}

const table = (file: { apart: boolean; shared: boolean; restart: boolean }, memory = { one: true, two: false }): RemoteCellResult[] => [
  cell({ scenario: 'one', store: 'memory', replicas: 1, policy: 'roundrobin', hosts: 'own', completed: memory.one }),
  cell({ scenario: 'rr', store: 'memory', replicas: 2, policy: 'roundrobin', hosts: 'own', completed: memory.two }),
  cell({ scenario: 'rr', store: 'json-file', replicas: 2, policy: 'roundrobin', hosts: 'own', completed: file.apart }),
  cell({ scenario: 'added', store: 'json-file', replicas: 2, policy: 'roundrobin', hosts: 'shared', completed: file.shared, added: true }),
  cell({ scenario: 'restart', store: 'json-file', replicas: 2, policy: 'source', hosts: 'own', completed: file.restart, restarted: true }),
];
const designs = { memory: 'memory', file: 'json-file' };
const verdicts = (cells: RemoteCellResult[]) => Object.fromEntries(remoteClaims(cells, designs).map((row) => [row.id, row.verdict]));

describe('the claims across replicas', () => {
  it("read from src/'s pattern: C1 holds, C2 only on a shared host, C3 does not hold, C4 only under conditions", () => {
    expect(verdicts(table({ apart: false, shared: true, restart: true }))).toEqual({ C1: 'holds', C2: 'holds only under stated conditions', C3: 'does not hold', C4: 'holds only under stated conditions' });
  });

  it('each turns with the cells it reads', () => {
    expect(verdicts(table({ apart: true, shared: true, restart: true }))).toMatchObject({ C2: 'holds', C3: 'holds' });
    expect(verdicts(table({ apart: false, shared: false, restart: false }))).toMatchObject({ C2: 'does not hold', C4: 'does not hold' });
    expect(verdicts(table({ apart: false, shared: true, restart: true }, { one: true, two: true }))).toMatchObject({ C1: 'does not hold' });
    expect(verdicts(table({ apart: false, shared: true, restart: true }, { one: false, two: false }))).toMatchObject({ C1: 'does not hold' });
  });

  it('names the cells each verdict is read from, with their flows', () => {
    const c3 = remoteClaims(table({ apart: false, shared: true, restart: true }), designs).find((row) => row.id === 'C3')!;
    expect(c3.figure).toBe('rr: 0/3 completed (broken: registration ×3)');
  });

  it('is unknown, saying why, without the cells or the design a claim needs', () => {
    const onlyControl = table({ apart: false, shared: true, restart: true }).filter((c) => c.scenario === 'one');
    expect(remoteClaims(onlyControl, designs).find((row) => row.id === 'C1')).toMatchObject({ verdict: 'unknown', figure: expect.stringMatching(/two replicas take turns/) });
    expect(remoteClaims(table({ apart: false, shared: true, restart: true }), { memory: 'memory', why: { file: 'no store is one file' } }).filter((row) => row.verdict === 'unknown').map((row) => row.figure)).toEqual(['no store is one file', 'no store is one file', 'no store is one file']);
    expect(remoteClaims([], designs)).toEqual([]);
  });
});

describe('C8 across replicas, from the remote load measurement', () => {
  const load = (completedAt4: number, quick = true) => ({
    quick,
    replicas: 2,
    policy: 'roundrobin',
    hosts: 'shared' as const,
    stores: [{ store: 'json-file', levels: [{ concurrency: 1, flows: 4, completed: 4, lost: {}, incomplete: 0 }, { concurrency: 4, flows: 8, completed: completedAt4, lost: completedAt4 < 8 ? { code: 8 - completedAt4 } : {}, incomplete: 0 }] }],
  });
  const c8 = (value: ReturnType<typeof load>) => remoteClaims(table({ apart: false, shared: true, restart: true }), designs, { load: value }).find((row) => row.id === 'C8')!;

  it('flows lost only when they overlap: only under conditions, the losses named', () => {
    expect(c8(load(6))).toMatchObject({ verdict: 'holds only under stated conditions', figure: expect.stringContaining('4 at once: 6/8 (broken: code ×2)') });
  });

  it('none lost: unknown in the quick run (a few flows are not 100%), holds in the bench', () => {
    expect(c8(load(8)).verdict).toBe('unknown');
    expect(c8(load(8, false)).verdict).toBe('holds');
  });

  it('no row without the measurement', () => {
    expect(remoteClaims(table({ apart: false, shared: true, restart: true }), designs).map((row) => row.id)).not.toContain('C8');
  });
});

describe('C5 and C6 across replicas, from the remote footprint and TTL measurements', () => {
  const shape = { quick: true, replicas: 2, policy: 'roundrobin', hosts: 'shared' as const, stores: [] };
  const footprint = (judged: { store: string; verdict: 'holds' | 'does not hold' | 'unknown' | 'n/a'; figure: string; why?: string }[]) => ({ ...shape, judged });
  const ttl = (judged: { store: string; verdict: 'holds' | 'does not hold' | 'unknown'; figure: string; why?: string }[]) => ({ ...shape, ttlMs: 900_000, judged });
  const rows = (measured: Parameters<typeof remoteClaims>[2]) => remoteClaims(table({ apart: false, shared: true, restart: true }), designs, measured);

  it("reads the file design's judgement, saying the figure is per flow and names the replicas' shape", () => {
    const [c5, c6] = rows({
      footprint: footprint([{ store: 'memory', verdict: 'unknown', figure: '0/11', why: 'x' }, { store: 'json-file', verdict: 'does not hold', figure: '1676 B on disk per completed flow over 10 flows after the first' }]),
      ttl: ttl([{ store: 'json-file', verdict: 'holds', figure: 'baseline: completed; 14:59: completed; 15:01: refused at the provider callback (400)' }]),
    }).filter((row) => row.id === 'C5' || row.id === 'C6');
    expect(c5).toMatchObject({ id: 'C5', store: 'json-file', verdict: 'does not hold', figure: expect.stringMatching(/^2 replicas, roundrobin, one shared host: 1676 B .*; per flow, not per item: a remote flow stores several records/) });
    expect(c6).toMatchObject({ id: 'C6', store: 'json-file', verdict: 'holds', figure: '2 replicas, roundrobin, one shared host, one virtual clock: baseline: completed; 14:59: completed; 15:01: refused at the provider callback (400)' });
  });

  it('turns with the judgement, and is unknown with why when the file design was n/a, unknown or not measured', () => {
    expect(rows({ footprint: footprint([{ store: 'json-file', verdict: 'holds', figure: '180 B' }]) }).find((row) => row.id === 'C5')!.verdict).toBe('holds');
    expect(rows({ ttl: ttl([{ store: 'json-file', verdict: 'does not hold', figure: 'f', why: 'accepted at 15:01' }]) }).find((row) => row.id === 'C6')).toMatchObject({ verdict: 'does not hold', figure: expect.stringContaining('(accepted at 15:01)') });
    expect(rows({ footprint: footprint([{ store: 'json-file', verdict: 'n/a', figure: '0 B on disk' }]) }).find((row) => row.id === 'C5')).toMatchObject({ verdict: 'unknown', figure: expect.stringContaining('left nothing under the hosts') });
    expect(rows({ footprint: footprint([{ store: 'json-file', verdict: 'unknown', figure: '3/11 flows completed', why: 'bytes per flow need every flow completed' }]) }).find((row) => row.id === 'C5')).toMatchObject({ verdict: 'unknown' });
    expect(rows({ ttl: ttl([{ store: 'memory', verdict: 'unknown', figure: 'f' }]) }).find((row) => row.id === 'C6')).toMatchObject({ verdict: 'unknown', figure: 'the remote TTL measurement did not measure the file design' });
  });

  it('no rows without the measurements', () => {
    expect(rows({}).map((row) => row.id)).toEqual(['C1', 'C2', 'C3', 'C4']);
  });
});
