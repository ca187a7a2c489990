/**
 * The conformance suite's results of the remote cells, each against its
 * expected failures: the single-replica control's failures (the server's
 * own gaps, same store) where the flows are expected to complete, every
 * scenario where they are expected to break. A cell with nothing to be read
 * against must come back as it was, never judged against an empty baseline
 * (that would call every gap of the server a regression).
 */
import { describe, expect, it } from 'vitest';
import type { RemoteCellResult, RemoteConformance } from '../core/remote-cell-result.ts';
import type { RemoteExpectation, RemoteScenario } from '../core/remote-scenario.ts';
import { isSingleReplicaControl, judgeConformance } from './remote-conformance-verdict.ts';

const PASSES: RemoteExpectation = { outcome: 'pass' };
const BREAKS: RemoteExpectation = { outcome: 'fail', lost: ['registration'] };

function scenario(name: string, replicas: number, events: RemoteScenario['events'] = []): RemoteScenario {
  return { name, description: `${name}, for the test`, replicas, policy: 'roundrobin', hosts: 'own', flows: 3, events, expect: { process: PASSES, host: PASSES, hosts: PASSES, resource: { process: PASSES, host: PASSES, hosts: PASSES } } };
}

const SCENARIOS = [
  scenario('one-replica', 1),
  scenario('two-replicas-roundrobin', 2),
  scenario('rolling-restart', 2, [{ kind: 'rolling-restart', at: { after: 'authorize' } }]),
];

type Outcomes = Record<string, 'pass' | 'fail' | 'error'>;

/** A suite result: every scenario named, with its outcome. */
function suite(outcomes: Outcomes, extra: Partial<RemoteConformance> = {}): RemoteConformance {
  return {
    version: '0.1.9',
    bearer: 'flow 3',
    scenarios: Object.entries(outcomes).map(([name, outcome]) => ({ name, outcome, ...(outcome === 'pass' ? {} : { detail: `${name} ${outcome}` }) })),
    durationMs: 900,
    ...extra,
  };
}

function cell(name: string, store: string, expected: RemoteExpectation, conformance?: RemoteConformance): RemoteCellResult {
  return {
    scenario: name,
    store,
    replicas: name === 'one-replica' ? 1 : 2,
    policy: 'roundrobin',
    hosts: 'own',
    flows: [],
    completed: 0,
    lost: {},
    expected,
    matched: true,
    operations: [],
    ...(conformance ? { conformance } : {}),
    durationMs: 1000,
    historyFile: `runs/x/${name}-${store}.jsonl`,
  };
}

/** The server's own gaps: what it fails through one replica. */
const CONTROL_OUTCOMES: Outcomes = { 'server-initialize': 'pass', 'tools-list': 'pass', 'tools-call-simple-text': 'pass', 'prompts-get-embedded-resource': 'fail', 'resources-subscribe': 'error' };
const control = (store = 'memory') => cell('one-replica', store, PASSES, suite(CONTROL_OUTCOMES));

const judgedOf = (cells: RemoteCellResult[], name: string, store = 'memory') => cells.find((c) => c.scenario === name && c.store === store)!.conformance?.judged;

describe('isSingleReplicaControl', () => {
  it('one replica and no event is the control', () => {
    expect(isSingleReplicaControl({ replicas: 1, events: [] })).toBe(true);
  });

  it('two replicas, or one with an event done to it, is not', () => {
    expect(isSingleReplicaControl({ replicas: 2, events: [] })).toBe(false);
    expect(isSingleReplicaControl({ replicas: 1, events: [{ kind: 'rolling-restart', at: { after: 'authorize' } }] })).toBe(false);
  });
});

describe('judgeConformance', () => {
  it("the single-replica, no-event scenario's cell is the control, and is not judged", () => {
    const [judged] = judgeConformance([control()], SCENARIOS);
    expect(judged!.conformance!.control).toBe(true);
    expect(judged!.conformance!.judged).toBeUndefined();
    // The rest of the suite's result is kept as it was.
    expect(judged!.conformance!.scenarios).toEqual(control().conformance!.scenarios);
  });

  it("a cell expected to pass that failed exactly the control's failures matches, its expected failures the control's count", () => {
    const cells = judgeConformance([control(), cell('two-replicas-roundrobin', 'memory', PASSES, suite(CONTROL_OUTCOMES))], SCENARIOS);
    const judged = judgedOf(cells, 'two-replicas-roundrobin');
    expect(judged).toMatchObject({ expectedFailures: 2, unexpectedFail: [], unexpectedPass: [], matched: true });
    expect(judged!.expectedFrom).toContain('one-replica');
  });

  it('an error where the control failed, or a failure where it errored, is still a failure as expected', () => {
    const swapped = { ...CONTROL_OUTCOMES, 'prompts-get-embedded-resource': 'error', 'resources-subscribe': 'fail' } as const;
    const cells = judgeConformance([control(), cell('two-replicas-roundrobin', 'memory', PASSES, suite(swapped))], SCENARIOS);
    expect(judgedOf(cells, 'two-replicas-roundrobin')).toMatchObject({ unexpectedFail: [], unexpectedPass: [], matched: true });
  });

  it('one failure more than the control is an unexpected failure, named, and the cell does not match', () => {
    const cells = judgeConformance([control(), cell('two-replicas-roundrobin', 'memory', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }))], SCENARIOS);
    expect(judgedOf(cells, 'two-replicas-roundrobin')).toMatchObject({ expectedFailures: 2, unexpectedFail: ['tools-list'], unexpectedPass: [], matched: false });
  });

  it('a scenario the control failed, passing here, is an unexpected pass, and the cell does not match', () => {
    const cells = judgeConformance([control(), cell('rolling-restart', 'memory', PASSES, suite({ ...CONTROL_OUTCOMES, 'resources-subscribe': 'pass' }))], SCENARIOS);
    expect(judgedOf(cells, 'rolling-restart')).toMatchObject({ unexpectedFail: [], unexpectedPass: ['resources-subscribe'], matched: false });
  });

  it('a cell expected to break expects every scenario to fail: all failing matches, with no control needed', () => {
    const everyFailing: Outcomes = { 'server-initialize': 'fail', 'tools-list': 'fail', 'resources-subscribe': 'error' };
    // No one-replica cell at all: the expectation comes from the cell's own.
    const cells = judgeConformance([cell('two-replicas-roundrobin', 'memory', BREAKS, suite(everyFailing, { bearer: 'none' }))], SCENARIOS);
    const judged = judgedOf(cells, 'two-replicas-roundrobin');
    expect(judged).toMatchObject({ expectedFailures: 3, unexpectedFail: [], unexpectedPass: [], matched: true });
    expect(judged!.expectedFrom).toMatch(/^every scenario/);
  });

  it('a cell expected to break whose suite passed a scenario has an unexpected pass', () => {
    const cells = judgeConformance([control(), cell('two-replicas-roundrobin', 'memory', BREAKS, suite({ 'server-initialize': 'pass', 'tools-list': 'fail' }))], SCENARIOS);
    expect(judgedOf(cells, 'two-replicas-roundrobin')).toMatchObject({ expectedFailures: 2, unexpectedFail: [], unexpectedPass: ['server-initialize'], matched: false });
  });

  it('a cell whose suite did not run is returned unchanged', () => {
    const notRun = cell('two-replicas-roundrobin', 'memory', PASSES, suite({}, { notRun: 'the suite is not installed' }));
    const cells = judgeConformance([control(), notRun], SCENARIOS);
    expect(cells[1]).toBe(notRun);
  });

  it('a cell without a suite result is returned unchanged', () => {
    const none = cell('two-replicas-roundrobin', 'redis', PASSES);
    expect(judgeConformance([control(), none], SCENARIOS)[1]).toBe(none);
  });

  it('a cell expected to pass, in a store with no control cell, is returned unchanged (not judged against nothing)', () => {
    const alone = cell('two-replicas-roundrobin', 'memory', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }));
    const [judged] = judgeConformance([alone], SCENARIOS);
    expect(judged).toBe(alone);
    expect(judged!.conformance!.judged).toBeUndefined();
  });

  it('a control whose own suite did not run judges nothing', () => {
    const controlNotRun = cell('one-replica', 'memory', PASSES, suite({}, { notRun: 'no network for its install' }));
    const other = cell('two-replicas-roundrobin', 'memory', PASSES, suite(CONTROL_OUTCOMES));
    expect(judgeConformance([controlNotRun, other], SCENARIOS)[1]).toBe(other);
  });

  it('a control whose suite ran no scenario judges nothing either (an empty baseline would call every gap a regression)', () => {
    // Such a control is itself left unmarked (a suite with no scenario is not judged), so it cannot be what others are read against.
    const emptyControl = cell('one-replica', 'memory', PASSES, suite({}));
    const other = cell('two-replicas-roundrobin', 'memory', PASSES, suite(CONTROL_OUTCOMES));
    const cells = judgeConformance([emptyControl, other], SCENARIOS);
    expect(cells[0]).toBe(emptyControl);
    expect(cells[1]!.conformance!.judged).toBeUndefined();
  });

  it("the control is matched per store: memory's control does not judge redis's cell", () => {
    const redisCell = cell('two-replicas-roundrobin', 'redis', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }));
    const memoryCell = cell('two-replicas-roundrobin', 'memory', PASSES, suite(CONTROL_OUTCOMES));
    const cells = judgeConformance([control('memory'), memoryCell, redisCell], SCENARIOS);
    expect(cells[2]).toBe(redisCell);
    expect(judgedOf(cells, 'two-replicas-roundrobin', 'memory')).toMatchObject({ matched: true });
  });

  it("each store's cell is read against its own store's control", () => {
    const redisControl = cell('one-replica', 'redis', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }));
    const redisCell = cell('two-replicas-roundrobin', 'redis', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }));
    const cells = judgeConformance([control('memory'), redisControl, redisCell], SCENARIOS);
    expect(judgedOf(cells, 'two-replicas-roundrobin', 'redis')).toMatchObject({ expectedFailures: 3, unexpectedFail: [], matched: true });
    expect(cells[1]!.conformance!.control).toBe(true);
  });

  it('without a single-replica scenario among the scenarios, cells expected to pass are returned unchanged', () => {
    const one = control();
    const other = cell('two-replicas-roundrobin', 'memory', PASSES, suite(CONTROL_OUTCOMES));
    const cells = judgeConformance([one, other], SCENARIOS.filter((s) => s.replicas > 1));
    // Not even the one-replica cell is the control when its scenario is not among them.
    expect(cells[0]).toBe(one);
    expect(cells[1]).toBe(other);
  });

  it('leaves the cells it was given as they were', () => {
    const given = [control(), cell('two-replicas-roundrobin', 'memory', PASSES, suite({ ...CONTROL_OUTCOMES, 'tools-list': 'fail' }))];
    const before = structuredClone(given);
    judgeConformance(given, SCENARIOS);
    expect(given).toEqual(before);
  });
});
