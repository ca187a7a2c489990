import { describe, expect, it } from 'vitest';
import { gateDocument } from './test-fixtures/gate-document.ts';
import { harnessIncidents } from './harness-incidents.ts';

describe('harnessIncidents', () => {
  it('none in a run where everything ran', () => {
    expect(harnessIncidents(gateDocument())).toEqual([]);
  });

  it('one per failed cell, crashed measurement, and store setup however many rows it left unrun', () => {
    const document = gateDocument();
    const cause = 'not run: starting sqlite × split-process: failed 3 times ← fetch failed ← connect ECONNREFUSED';
    const rows = document.reliability.map((row) => ({ ...row, perStore: { ...row.perStore, sqlite: { outcome: 'harness-error' as const, detail: cause } } }));
    const cells = document.cells.map((cell, i) => (i === 0 ? { ...cell, harnessError: 'starting memory × single-process: failed 3 times' } : cell));
    const measurements = [{ id: 'store-faults', durationMs: 5, quick: true, error: 'strace: not found' }];
    const incidents = harnessIncidents({ cells, measurements, reliability: rows });
    const groups = new Set(rows.map((row) => row.group));
    expect(incidents).toHaveLength(2 + groups.size);
    expect(incidents[0]).toEqual({ where: `${cells[0]!.scenario} × ${cells[0]!.store}`, cause: 'starting memory × single-process: failed 3 times', rows: 0 });
    expect(incidents[1]).toEqual({ where: 'measurement store-faults', cause: 'strace: not found', rows: 0 });
    expect(incidents.slice(2).reduce((n, i) => n + i.rows, 0)).toBe(rows.length);
    expect(incidents.slice(2).every((i) => i.cause === cause && i.where.endsWith(' × sqlite'))).toBe(true);
  });
});
