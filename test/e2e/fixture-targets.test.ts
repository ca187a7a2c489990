/**
 * The gate on other people's servers: every fixture target under
 * fixtures/targets/ (servers written in the shapes real ones have: factory
 * modules, hard-coded Atlassian hosts over fetch and node:https, console.log
 * on stdout, 200 for every page, a literal /tmp path), run unmodified
 * through the same scenarios against the mock, one test per target ×
 * scenario × store, each asserting the outcome its store's reach predicts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder, type RunFolder } from '../../harness/core/run-folder.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { isolationMode } from '../../harness/deploy/hosts.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { loadAnyTarget, loadTarget } from '../../harness/deploy/target/load-target.ts';
import { plannedCells } from '../../harness/engine/run-battery.ts';
import { runCell } from '../../harness/engine/run-cell.ts';

const TARGETS_DIR = fileURLToPath(new URL('../../fixtures/targets/', import.meta.url));
/**
 * Fixture targets that differ from another only in a page no scenario judges
 * (unescaped-echo: https-client with an unescaped error page, for the browser
 * XSS check): one split-process flow below shows they work; the whole battery
 * would add gate time and no evidence.
 */
const ONE_FLOW_TARGETS = ['unescaped-echo'];
const targetFiles = readdirSync(TARGETS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .filter((entry) => !ONE_FLOW_TARGETS.includes(entry.name))
  .map((entry) => path.join(TARGETS_DIR, entry.name, 'target.ts'))
  .filter((file) => readdirSync(path.dirname(file)).includes('target.ts'));
// A remote-only target (a Streamable HTTP server alone) has no stdio table: test/e2e/remote-scenarios.test.ts runs it.
const loaded = await Promise.all(targetFiles.map((file) => loadAnyTarget(file)));
/**
 * Targets on other providers run elsewhere, each in its battery: src/ signing in with GitHub and with Google in
 * test/e2e/provider-batteries.test.ts, the other src-<provider> targets' split-process cells in
 * test/e2e/providers.test.ts, python-stdlib in test/e2e/python-target.test.ts.
 */
const targets = loaded.flatMap((entry) => (entry.kind === 'stdio' && entry.target.provider === 'atlassian' ? [entry.target] : []));
const scenarios = await loadScenarios();
/** Fewer flows than the scenario's own: 4 targets × 4 scenarios of whole deployments already, and 3 flows show a pattern. */
const FLOWS = 3;

let run: RunFolder;
let mock: MockAtlassian;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-fixture-targets');
  mock = await MockAtlassian.start(run.logDir);
});

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
});

test('the gate runs with a private /tmp per simulated host (CI runs as root)', () => {
  // Without it, the literal-/tmp fixture would share its file across "hosts" and pass isolated.
  expect(isolationMode()).toMatchObject({ kind: 'mount-namespace' });
});

for (const target of targets) {
  describe.concurrent(target.name, () => {
    for (const { scenario, store, expected } of plannedCells(scenarios, target)) {
      const title = `${scenario.name} × ${store}: ${expected.outcome === 'pass' ? 'every flow completes' : `every flow fails at ${expected.stage}`}`;
      test(title, async () => {
        const cell = await runCell({ scenario, store, expected, target, mock, run, flows: FLOWS });
        expect(cell.harnessError, `harness error; logs in ${run.dir}`).toBeUndefined();
        expect(cell.flows).toBe(FLOWS);
        if (expected.outcome === 'fail') expect(cell.observed).toMatchObject({ outcome: 'fail', stage: expected.stage });
        else if (target.tokenTool) expect(cell.tokenHandoffs).toMatchObject({ ok: FLOWS, failed: 0 });
        else expect(cell.tokenHandoffs).toMatchObject({ ok: 0, failed: 0, notObservable: FLOWS });
        expect(cell.matched, JSON.stringify(cell.checkers)).toBe(true);
      });
    }
  });
}

for (const name of ONE_FLOW_TARGETS) {
  test(`${name}: one split-process flow completes through the harness`, async () => {
    const target = await loadTarget(path.join(TARGETS_DIR, name, 'target.ts'));
    const cells = plannedCells(scenarios.filter((s) => s.name === 'split-process'), target);
    expect(cells.map((c) => [c.scenario.name, c.store, c.expected.outcome])).toEqual([['split-process', 'json-file-tmpdir', 'pass']]);
    const { scenario, store, expected } = cells[0]!;
    // Its own run folder: its cell's label (scenario.store) is also https-client's, and labels are unique per run.
    const ownRun = createRunFolder(undefined, `gate-fixture-${name}`);
    const cell = await runCell({ scenario, store, expected, target, mock, run: ownRun, flows: 1 });
    expect(cell.harnessError, `harness error; logs in ${ownRun.dir}`).toBeUndefined();
    expect(cell.flows).toBe(1);
    expect(cell.tokenHandoffs).toMatchObject({ ok: 1, failed: 0 });
    expect(cell.matched, JSON.stringify(cell.checkers)).toBe(true);
  });
}
