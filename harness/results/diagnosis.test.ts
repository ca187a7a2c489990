/** A first run's diagnosis of the default store: what it did in each scenario, in its users' words, whatever its profile expects. */
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../core/cell-result.ts';
import { diagnose } from './diagnosis.ts';

const cell = (scenario: string, store: string, pass: boolean): CellResult =>
  ({
    scenario,
    store,
    flows: 5,
    stateLookups: { ok: pass ? 5 : 0, failed: pass ? 0 : 5 },
    observed: pass ? { outcome: 'pass' } : { outcome: 'fail', stage: 'state-lookup', message: 'Sign-in link expired or unknown. Start again.' },
    errors: [],
  }) as unknown as CellResult;

describe('diagnose', () => {
  it("names the scenarios where the default store loses the state, with the target's own words", () => {
    const cells = [cell('single-process', 'static-map', true), cell('split-process', 'static-map', false), cell('isolated', 'static-map', false), cell('split-process', 'file', true)];
    const diagnosis = diagnose(cells, 'static-map')!;
    expect(diagnosis.line).toBe(`your server's default store (static-map) loses the state in split-process and isolated: users would see "Sign-in link expired or unknown. Start again.".`);
    expect(diagnosis.failures).toHaveLength(2);
  });

  it('a default store that completed every flow is said so, with no failure', () => {
    expect(diagnose([cell('split-process', 'file', true)], 'file')).toMatchObject({ failures: [], line: expect.stringContaining('completed every flow') });
  });
});
