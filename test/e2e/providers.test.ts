/**
 * The store grading does not hang on Atlassian's quirks: src/'s
 * split-process flow, signing in with each other provider profile
 * (fixtures/targets/src-<provider>), with a store that shares state between
 * processes (atomic-file) and one that does not (memory), gets the outcomes
 * it gets against Atlassian: the same pass or fail, at the same stage, with
 * the same message. Each provider's mock says the codes were its own
 * (redeemed at its token endpoint, in its id shape), and the identity the
 * tool process ends with is that provider's user.
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
/** The provider's account ids, as its mock profile issues them: the evidence that its profile, not Atlassian's, signed the user in. */
const ID_SHAPES = {
  github: /^\d+$/,
  google: /^\d{21}$/,
  gitlab: /^\d+$/,
  microsoft: /^[A-Za-z0-9_-]{43}$/,
  oidc: /^[0-9a-f-]{36}$/,
} as const;
type Provider = keyof typeof ID_SHAPES;
const PROVIDERS = Object.keys(ID_SHAPES) as Provider[];

const scenario = (await loadScenarios()).find((s) => s.name === 'split-process')!;
// One run folder per provider: the cells of a store share labels across providers, and must share no simulated host.
const runs = new Map<Provider | 'atlassian', RunFolder>();
const targets = new Map<Provider, TargetDescription>();
const mocks = new Map<Provider | 'atlassian', MockAtlassian>();
type Outcome = ReturnType<typeof outcomeOf>;
const baseline = new Map<string, Promise<Outcome>>();

beforeAll(async () => {
  await Promise.all(
    [...PROVIDERS, 'atlassian' as const].map(async (provider) => {
      const run = createRunFolder(undefined, `gate-provider-${provider}`);
      runs.set(provider, run);
      const target = provider === 'atlassian' ? defaultTarget : await loadTarget(path.join(PROJECT_ROOT, `fixtures/targets/src-${provider}/target.ts`));
      if (provider !== 'atlassian') targets.set(provider, target);
      mocks.set(provider, await MockAtlassian.start(run.logDir, [], mockEnvFor(target), `${provider}-mock`));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...mocks.values()].map((mock) => mock.stop()));
  await stopAllChildren({ graceMs: 500 });
});

/** What the grading reads of a cell: the outcome, and each error with its stage, message and count. */
function outcomeOf(cell: Awaited<ReturnType<typeof runCell>>) {
  return { harnessError: cell.harnessError, flows: cell.flows, observed: cell.observed, errors: cell.errors, stateLookups: cell.stateLookups, tokenHandoffs: cell.tokenHandoffs, matched: cell.matched };
}

/** The same cell against Atlassian, run once per store for every provider to compare with. */
function onAtlassian(store: string): Promise<Outcome> {
  let cell = baseline.get(store);
  if (!cell) {
    const expected = expectationFor(scenario, store, defaultTarget.stores[store]);
    cell = runCell({ scenario, store, expected, target: defaultTarget, mock: mocks.get('atlassian')!, run: runs.get('atlassian')! }).then(outcomeOf);
    baseline.set(store, cell);
  }
  return cell;
}

describe.concurrent('split-process on each provider, as on Atlassian', () => {
  for (const provider of PROVIDERS) {
    for (const store of STORES) {
      test(`${provider} × split-process × ${store}: the same outcome as against Atlassian`, async () => {
        const target = targets.get(provider)!;
        const mock = mocks.get(provider)!;
        expect([target.provider, mock.provider]).toEqual([provider, provider]);
        const expected = expectationFor(scenario, store, target.stores[store]);
        const cell = await runCell({ scenario, store, expected, target, mock, run: runs.get(provider)! });
        expect(cell.harnessError, `harness error; logs in ${runs.get(provider)!.dir}`).toBeUndefined();
        expect(outcomeOf(cell)).toEqual(await onAtlassian(store));
        expect(cell.matched, JSON.stringify(cell.checkers)).toBe(true);
        // The provider's mock serves both stores' cells: each deployment registers a client of its own label.
        const flows = (await mock.flows()).filter((flow) => flow.clientId.includes(`.${store}`));
        expect(flows.length).toBe(cell.flows);
        if (expected.outcome === 'pass') {
          expect(flows.every((flow) => flow.redemptions.length === 1 && flow.redemptions[0]!.ok)).toBe(true);
          expect(flows.every((flow) => ID_SHAPES[provider].test(flow.identity.accountId))).toBe(true);
        } else {
          // The state was lost before any code reached the provider's token endpoint.
          expect(flows.every((flow) => flow.redemptions.length === 0)).toBe(true);
        }
      });
    }
  }
});
