/**
 * A target as a user describes it: the target file inside the server's own
 * checkout under /tmp (cwd '.'), the server a built factory module with no
 * stdio entry, described with `launch` and no path into the harness or
 * tsx. Every topology runs from there, the isolated one with its private
 * /tmp per host, and each cell comes out as its store's reach predicts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder, PROJECT_ROOT, type RunFolder } from '../../harness/core/run-folder.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian } from '../../harness/deploy/services/mock-atlassian.ts';
import { compiledNodeArgs } from '../../harness/deploy/target/compiled-entry-points.ts';
import { loadTarget } from '../../harness/deploy/target/load-target.ts';
import { plannedCells } from '../../harness/engine/run-battery.ts';
import { runCell } from '../../harness/engine/run-cell.ts';

const SERVER = 'fixtures/targets/factory-fetch/server.ts';
const checkout = mkdtempSync('/tmp/their-jira-mcp-');
const targetFile = path.join(checkout, 'repro.target.ts');
const TARGET_FILE_FACTORY_FETCH = fileURLToPath(new URL('../../fixtures/targets/factory-fetch/target.ts', import.meta.url));

/** The fixture's target file, rewritten as its user would keep it in the checkout: the same fields, with launch and no path into the harness. */
const TARGET = `import { defineTarget } from ${JSON.stringify(path.join(PROJECT_ROOT, 'harness/deploy/target/target-file.ts'))};

const ready = { kind: 'log-line', stream: 'stdout', pattern: /OAuth server running on http:\\/\\/localhost:\\d+/ } as const;

export default defineTarget({
  name: 'their jira-mcp, checked out under /tmp',
  cwd: '.',
  launch: { factory: 'dist/server.js', config: (input) => ({ site: input.companyUrl }) },
  callback: { command: 'node', args: ['dist/server.js', '--http-server'], ready },
  both: { args: ['--http-server'], ready },
  port: 'assigned',
  env: (input) => ({
    JIRA_OAUTH_CLIENT_ID: input.clientId,
    JIRA_OAUTH_CLIENT_SECRET: input.clientSecret,
    ...(input.redirectUri ? { JIRA_OAUTH_REDIRECT_URI: input.redirectUri } : {}),
    PORT: input.port,
    OAUTH_STATE_BACKEND: input.store === 'json-file' ? 'file' : 'map',
  }),
  providerHosts: 'hard-coded',
  runtime: 'node',
  startFlow: { tool: 'start_oauth', authorizeUrl: { pattern: /(https:\\/\\/auth\\.atlassian\\.com\\/authorize\\?\\S+)/ } },
  callbackPage: {
    success: /OAuth Authentication Successful/,
    invalidState: /Token exchange failed: Invalid or expired OAuth state parameter\\. Please restart the authentication flow\\./,
    failure: /OAuth Token Exchange Failed/,
  },
  stores: { memory: { reach: 'process' }, 'json-file': { reach: 'host' } },
  defaultStore: 'memory',
  stdoutMayCarryNonMcp: true,
});
`;

// Made while the file is collected: the cells below are planned from the loaded target file.
// Built as the server would ship: one JavaScript file with its dependencies, in the checkout's dist/.
const [built] = compiledNodeArgs(PROJECT_ROOT, { name: 'factory-fetch', sourceDirs: ['fixtures/targets/factory-fetch'], entries: [SERVER], bundleDependenciesExcept: [] })(SERVER);
mkdirSync(path.join(checkout, 'dist'));
copyFileSync(built!, path.join(checkout, 'dist', 'server.js'));
writeFileSync(path.join(checkout, 'package.json'), JSON.stringify({ name: 'their-jira-mcp', type: 'module' }));
writeFileSync(targetFile, TARGET);
const target = await loadTarget(targetFile);
const scenarios = await loadScenarios();

let run: RunFolder;
let mock: MockAtlassian;

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-target-under-tmp');
  mock = await MockAtlassian.start(run.logDir);
});

afterAll(async () => {
  await mock?.stop();
  await stopAllChildren({ graceMs: 500 });
  rmSync(checkout, { recursive: true, force: true });
});

test("neither this target file nor the fixture's own gives a command line into the harness's launcher or into tsx", async () => {
  for (const described of [target, await loadTarget(TARGET_FILE_FACTORY_FETCH)]) {
    const lines = [described.tool, described.callback, described.both].map((spec) => [spec.command ?? '(launch)', ...(spec.args ?? [])].join(' '));
    for (const line of lines) expect(line).not.toMatch(/factory-stdio|tsx|--import/);
    expect(described.launch).toBeDefined();
  }
});

// At once, as fixture-targets.test.ts runs its cells: this server's callback does not end when its stdin
// closes, so each cell's stop waits out the harness's grace period, time that one cell after another added up.
describe.concurrent('a factory module checked out under /tmp, described with launch', () => {
  for (const { scenario, store, expected } of plannedCells(scenarios, target)) {
    test(`${scenario.name} × ${store}: ${expected.outcome === 'pass' ? 'every flow completes' : `every flow fails at ${expected.stage}`}`, async () => {
      const cell = await runCell({ scenario, store, expected, target, mock, run, flows: 2 });
      expect(cell.harnessError, `harness error; logs in ${run.dir}`).toBeUndefined();
      expect(cell.flows).toBe(2);
      if (expected.outcome === 'fail') expect(cell.observed).toMatchObject({ outcome: 'fail', stage: expected.stage });
      expect(cell.matched, JSON.stringify(cell.checkers)).toBe(true);
    });
  }
});
