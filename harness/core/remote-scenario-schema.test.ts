/**
 * The remote scenario files' shape, checked at load time because a scenario
 * is data a person writes: every file in scenarios/remote/ passes, each
 * named as its file, and each kind of mistake (an unknown field, a failure
 * expectation that names no hop, an unknown balancer policy, an event in a
 * flow the scenario never runs) is refused with the path of the field at
 * fault, so the load error can name it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRemoteScenarios, REMOTE_SCENARIOS_DIR } from './load-scenarios.ts';
import { remoteScenarioSchema } from './remote-scenario-schema.ts';
import type { RemoteScenario } from './remote-scenario.ts';

const SCENARIO_FILES = ['one-replica', 'replica-added', 'rolling-restart', 'two-replicas-roundrobin', 'two-replicas-session-affinity', 'two-replicas-session-hash', 'two-replicas-sticky-cookie'];

const base: RemoteScenario = {
  name: 'two-replicas-test',
  description: 'Two replicas, round-robin, for the test.',
  replicas: 2,
  policy: 'roundrobin',
  hosts: 'own',
  flows: 3,
  events: [{ kind: 'add-replica', at: { flow: 2, after: 'authorize' } }],
  expect: { process: { outcome: 'fail', lost: ['registration'], why: 'each replica its own' }, host: { outcome: 'pass' }, hosts: { outcome: 'pass' }, resource: { process: { outcome: 'fail', lost: ['session'] }, host: { outcome: 'as-routed' }, hosts: { outcome: 'pass' } } },
};

/** The first issue of a refused scenario. */
function refusal(value: unknown) {
  const parsed = remoteScenarioSchema.safeParse(value);
  if (parsed.success) throw new Error('accepted');
  return parsed.error.issues[0]!;
}

describe('the remote scenario files', () => {
  it('are the seven scenarios, each named as its file (loadRemoteScenarios refuses any other)', async () => {
    const scenarios = await loadRemoteScenarios();
    expect(scenarios.map((scenario) => scenario.name)).toEqual(SCENARIO_FILES);
  });

  it('each passes the schema as written', async () => {
    for (const scenario of await loadRemoteScenarios()) {
      const parsed = remoteScenarioSchema.safeParse(scenario);
      expect(parsed.success ? 'valid' : `${scenario.name}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`).toBe('valid');
    }
  });

  it('are read from scenarios/remote', () => {
    expect(path.basename(REMOTE_SCENARIOS_DIR)).toBe('remote');
    expect(path.basename(path.dirname(REMOTE_SCENARIOS_DIR))).toBe('scenarios');
  });
});

describe('remoteScenarioSchema', () => {
  it('accepts a scenario with a store-specific expectation and an event in every flow', () => {
    const scenario = { ...base, events: [{ kind: 'rolling-restart', at: { after: 'initialize' } }], expect: { ...base.expect, stores: { redis: { outcome: 'pass' } } } };
    expect(remoteScenarioSchema.safeParse(scenario).success).toBe(true);
  });

  it('refuses an unknown top-level field, naming it', () => {
    const issue = refusal({ ...base, replica: 2 });
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.path).toEqual([]);
    expect(issue).toMatchObject({ keys: ['replica'] });
  });

  it('refuses an unknown field deep inside, with the path of the object that has it', () => {
    const parsed = remoteScenarioSchema.safeParse({ ...base, events: [{ kind: 'add-replica', at: { flow: 2, afterr: 'authorize' } }] });
    expect(parsed.success).toBe(false);
    // A misspelled required key is reported first as the missing field, then as the unknown one.
    expect(parsed.error!.issues[0]).toMatchObject({ code: 'invalid_type', path: ['events', 0, 'at', 'after'] });
    expect(parsed.error!.issues[1]).toMatchObject({ code: 'unrecognized_keys', path: ['events', 0, 'at'], keys: ['afterr'] });
    const expectTypo = refusal({ ...base, expect: { ...base.expect, hostz: { outcome: 'pass' } } });
    expect(expectTypo).toMatchObject({ code: 'unrecognized_keys', path: ['expect'], keys: ['hostz'] });
  });

  it('refuses a fail expectation with an empty lost, naming expect.<reach>.lost', () => {
    const issue = refusal({ ...base, expect: { ...base.expect, process: { outcome: 'fail', lost: [] } } });
    expect(issue.path).toEqual(['expect', 'process', 'lost']);
    expect(issue.message).toBe('a failure expectation must name the hop(s) where the state is lost');
  });

  it('refuses a scenario that says nothing of a resource server, naming expect.resource', () => {
    const { resource: _omitted, ...authorizing } = base.expect;
    expect(refusal({ ...base, expect: authorizing }).path).toEqual(['expect', 'resource']);
  });

  it('refuses a lost state that is not one', () => {
    expect(refusal({ ...base, expect: { ...base.expect, host: { outcome: 'fail', lost: ['cookie'] } } }).path).toEqual(['expect', 'host', 'lost', 0]);
  });

  it('refuses an unknown balancer policy, naming policy', () => {
    const issue = refusal({ ...base, policy: 'least-conn' });
    expect(issue.path).toEqual(['policy']);
  });

  it('refuses an event at a flow beyond flows, naming events.<i>.at.flow and both numbers', () => {
    const issue = refusal({ ...base, flows: 3, events: [{ kind: 'rolling-restart', at: { after: 'authorize' } }, { kind: 'add-replica', at: { flow: 4, after: 'authorize' } }] });
    expect(issue.path).toEqual(['events', 1, 'at', 'flow']);
    expect(issue.message).toBe('flow 4 of 3: the scenario runs only 3');
  });

  it('accepts an event at the last flow', () => {
    expect(remoteScenarioSchema.safeParse({ ...base, flows: 3, events: [{ kind: 'add-replica', at: { flow: 3, after: 'initialize' } }] }).success).toBe(true);
  });

  it('refuses a missing expectation for a reach, and an unknown hosts value', () => {
    const { hosts: _hosts, ...withoutHosts } = base.expect;
    expect(refusal({ ...base, expect: withoutHosts }).path).toEqual(['expect', 'hosts']);
    expect(refusal({ ...base, hosts: 'many' }).path).toEqual(['hosts']);
  });

  it('refuses zero replicas and more than eight', () => {
    expect(refusal({ ...base, replicas: 0 }).path).toEqual(['replicas']);
    expect(refusal({ ...base, replicas: 9 }).path).toEqual(['replicas']);
  });
});

describe('loadRemoteScenarios on a folder of its own', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'remote-scenarios-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (folder: string, file: string, scenario: unknown) => writeFileSync(path.join(folder, file), `export default ${JSON.stringify(scenario)};\n`);

  it('refuses a scenario whose name is not its file name', async () => {
    const folder = mkdtempSync(path.join(dir, 'name-'));
    write(folder, 'two-replicas-test.ts', { ...base, name: 'two-replicas-other' });
    await expect(loadRemoteScenarios(folder)).rejects.toThrow(/two-replicas-test\.ts: name "two-replicas-other" must match the file name/);
  });

  it('refuses a scenario file naming the field at fault', async () => {
    const folder = mkdtempSync(path.join(dir, 'field-'));
    write(folder, 'two-replicas-test.ts', { ...base, policy: 'least-conn' });
    await expect(loadRemoteScenarios(folder)).rejects.toThrow(/two-replicas-test\.ts: policy: /);
  });
});
