/**
 * The store grading does not hang on Atlassian's quirks: src/'s
 * split-process flow, signing in with GitHub (fixtures/targets/src-github),
 * with a store that shares state between processes (atomic-file) and one
 * that does not (memory), gets the outcomes it gets against Atlassian: the
 * same pass or fail, at the same stage, with the same message. The GitHub
 * mock's evidence says the codes were GitHub's (redeemed at its token
 * endpoint) and the identity the tool process ends with is a GitHub user.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRunFolder, PROJECT_ROOT, type RunFolder } from '../../harness/core/run-folder.ts';
import { loadScenarios } from '../../harness/core/load-scenarios.ts';
import { expectationFor } from '../../harness/core/expectations.ts';
import { stopAllChildren } from '../../harness/deploy/process/child-process.ts';
import { MockAtlassian, mockEnvFor } from '../../harness/deploy/services/mock-atlassian.ts';
import { defaultTarget } from '../../harness/deploy/target/default-target.ts';
import { loadTarget } from '../../harness/deploy/target/load-target.ts';
import type { TargetDescription } from '../../harness/deploy/target/target-description.ts';
import { runCell } from '../../harness/engine/run-cell.ts';

const STORES = ['memory', 'atomic-file'] as const;
const scenario = (await loadScenarios()).find((s) => s.name === 'split-process')!;
// One run folder per provider: the two cells of a store share labels, and must share no simulated host.
let run: RunFolder;
let atlassianRun: RunFolder;
let github: TargetDescription;
let mocks: { github: MockAtlassian; atlassian: MockAtlassian };

beforeAll(async () => {
  run = createRunFolder(undefined, 'gate-provider-github');
  atlassianRun = createRunFolder(undefined, 'gate-provider-atlassian');
  github = await loadTarget(path.join(PROJECT_ROOT, 'fixtures/targets/src-github/target.ts'));
  const [githubMock, atlassianMock] = await Promise.all([
    MockAtlassian.start(run.logDir, [], mockEnvFor(github), 'github-mock'),
    MockAtlassian.start(atlassianRun.logDir, [], mockEnvFor(defaultTarget), 'atlassian-mock'),
  ]);
  mocks = { github: githubMock, atlassian: atlassianMock };
});

afterAll(async () => {
  await Promise.all([mocks?.github.stop(), mocks?.atlassian.stop()]);
  await stopAllChildren({ graceMs: 500 });
});

/** What the grading reads of a cell: the outcome, and each error with its stage, message and count. */
function outcomeOf(cell: Awaited<ReturnType<typeof runCell>>) {
  return { harnessError: cell.harnessError, flows: cell.flows, observed: cell.observed, errors: cell.errors, stateLookups: cell.stateLookups, matched: cell.matched };
}

describe.concurrent('split-process on GitHub, as on Atlassian', () => {
  test('the GitHub target plays the GitHub profile', () => {
    expect(github.provider).toBe('github');
    expect(mocks.github.provider).toBe('github');
  });

  for (const store of STORES) {
    test(`split-process × ${store}: the same outcome against GitHub as against Atlassian`, async () => {
      const expected = expectationFor(scenario, store, github.stores[store]);
      const [onGithub, onAtlassian] = await Promise.all([
        runCell({ scenario, store, expected, target: github, mock: mocks.github, run }),
        runCell({ scenario, store, expected, target: defaultTarget, mock: mocks.atlassian, run: atlassianRun }),
      ]);
      expect(onGithub.harnessError, `harness error; logs in ${run.dir}`).toBeUndefined();
      expect(outcomeOf(onGithub)).toEqual(outcomeOf(onAtlassian));
      expect(onGithub.matched, JSON.stringify(onGithub.checkers)).toBe(true);
      const flows = await mocks.github.flows();
      const ours = flows.filter((flow) => flow.clientId.includes(store));
      expect(ours.length).toBeGreaterThan(0);
      if (expected.outcome === 'pass') {
        expect(ours.every((flow) => flow.redemptions.length === 1 && flow.redemptions[0]!.ok)).toBe(true);
        // GitHub user ids are integers: the identity came from the GitHub profile.
        expect(ours.every((flow) => /^\d+$/.test(flow.identity.accountId))).toBe(true);
        expect(onGithub.tokenHandoffs).toEqual({ ok: onGithub.flows, failed: 0, superseded: 0, notObservable: 0 });
      } else {
        // The state was lost before any code reached GitHub's token endpoint.
        expect(ours.every((flow) => flow.redemptions.length === 0)).toBe(true);
      }
    });
  }
});
