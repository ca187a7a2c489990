import { describe, expect, it } from 'vitest';
import { gateDocument } from './test-fixtures/gate-document.ts';
import { fingerprintDifferences, verdictFingerprint } from './verdict-fingerprint.ts';

describe('verdictFingerprint', () => {
  it('has a line per verdict and none per figure: the same verdicts with other timings give the same lines', () => {
    const document = gateDocument();
    const slower = { ...document, cells: document.cells.map((cell) => ({ ...cell, durationMs: cell.durationMs * 10, latencyMs: { p50: 900, p95: 1800, samples: 5 } })) };
    expect(verdictFingerprint(slower)).toEqual(verdictFingerprint(document));
    expect(verdictFingerprint(document).some((line) => line.startsWith('cell split-process × json-file: '))).toBe(true);
  });

  it('names what changed when a verdict does', () => {
    const document = gateDocument();
    const changed = {
      ...document,
      reliability: document.reliability.map((row, i) => (i === 0 ? { ...row, perStore: Object.fromEntries(Object.entries(row.perStore).map(([s, r]) => [s, { ...r, outcome: 'fail' as const }])) } : row)),
    };
    const { onlyInOther } = fingerprintDifferences(verdictFingerprint(document), verdictFingerprint(changed));
    expect(onlyInOther.length).toBeGreaterThan(0);
    expect(onlyInOther.every((line) => line.startsWith(`row ${document.reliability[0]!.id} × `) && line.endsWith(': fail'))).toBe(true);
  });
});
