/**
 * The scenario table's introduction speaks of what the target offers: it
 * named src/'s token tool for every target, even one with no token tool.
 */
import { describe, expect, it } from 'vitest';
import type { CellResult } from '../core/cell-result.ts';
import { renderScenarioTables } from './render-scenarios.ts';

const cell = (notObservable: number): CellResult =>
  ({
    scenario: 'single-process',
    store: 'memory',
    flows: 5,
    expected: { outcome: 'pass' },
    matched: true,
    stateLookups: { ok: 5, failed: 0 },
    tokenExchanges: { ok: 5, failed: 0 },
    tokenHandoffs: { ok: 5 - notObservable, failed: 0, superseded: 0, notObservable },
    errors: [],
    latencyMs: { p50: 10, p95: 20, samples: 5 },
  }) as unknown as CellResult;

describe('the introduction of the scenario table', () => {
  it('names no tool of ours, and says when the hand-off is not observed', () => {
    const text = renderScenarioTables([cell(5)], {}, 'Scenarios').join('\n');
    expect(text).not.toContain('jira_whoami');
    expect(text).toContain('offers no tool that shows its token');
  });

  it("with a token tool, says the target's token tool shows the hand-off", () => {
    expect(renderScenarioTables([cell(0)], {}, 'Scenarios').join('\n')).toContain("the target's token tool shows whether the token reached the tool process");
  });
});
