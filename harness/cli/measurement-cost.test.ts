/**
 * The units a default run's measurements are costed in: the members of a
 * sequence share a deployment pool in a run, so alone they run together.
 */
import { describe, expect, it } from 'vitest';
import { costUnits } from './measurement-cost.ts';

describe('costUnits', () => {
  it("keeps a sequence's members together and every other measurement alone, in the order given", () => {
    expect(costUnits(['topology-claims', 'hostile-input', 'store-bench', 'provider-faults', 'security', 'browser'])).toEqual([
      ['topology-claims'],
      ['hostile-input', 'provider-faults', 'security'],
      ['store-bench'],
      ['browser'],
    ]);
  });
});
