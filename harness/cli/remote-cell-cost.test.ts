import { describe, expect, test } from 'vitest';
import { DEFAULT_TARGET_FILE } from '../deploy/target/default-target-file.ts';
import { loadTarget } from '../deploy/target/load-target.ts';
import { cellCpuMs } from './cell-cost.ts';
import { measureRemoteCellCosts } from './remote-cell-cost.ts';

describe('measureRemoteCellCosts', () => {
  test('costs each named remote cell alone, every side read (its replicas and balancer reaped, the harness, the mock), and says whether it was as expected', { timeout: 60_000 }, async () => {
    const target = await loadTarget(DEFAULT_TARGET_FILE);
    const wanted = [
      { scenario: 'one-replica', store: 'memory' },
      { scenario: 'two-replicas-roundrobin', store: 'memory' },
    ];
    const costs = await measureRemoteCellCosts(target, wanted, false);
    expect(costs.map((c) => [c.scenario, c.store, c.asExpected, c.conformance])).toEqual([
      ['one-replica', 'memory', true, false],
      ['two-replicas-roundrobin', 'memory', true, false],
    ]);
    for (const cost of costs) {
      // Replicas (Node) and haproxy started and stopped: their whole life is in processesMs; the bound only catches a unit mistake.
      expect(cost.processesMs).toBeGreaterThan(0);
      expect(cost.harnessMs).toBeGreaterThan(0);
      expect(cost.mockMs).toBeGreaterThanOrEqual(0);
      expect(cellCpuMs(cost)).toBeLessThan(60_000);
    }
  });

  test('a target without a remote mode, or nothing asked: nothing costed, nothing started', async () => {
    const target = await loadTarget(DEFAULT_TARGET_FILE);
    expect(await measureRemoteCellCosts(target, [], true)).toEqual([]);
    expect(await measureRemoteCellCosts({ ...target, remote: undefined }, [{ scenario: 'one-replica', store: 'memory' }], true)).toEqual([]);
  });
});
