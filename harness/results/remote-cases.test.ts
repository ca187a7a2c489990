/**
 * The remote table in the gate's terms: one case per cell, its id the
 * scenario's under `remote/`, its status from the cell's verdict (a harness
 * error before anything else, since it is the run's trouble, not the
 * target's), the stable expected/observed phrases the baseline keeps, and
 * the first break as a person reads it: a server's HTML error page cut down
 * to its words.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteBreak, RemoteCellResult } from '../core/remote-cell-result.ts';
import type { RemoteExpectation } from '../core/remote-scenario.ts';
import { describeFirstBreak, describeRemoteExpected, remoteCellOutcome } from './remote-cases.ts';
import { remoteScenarioCases } from './gate-verdict.ts';

const REGISTRATION: RemoteExpectation = { outcome: 'fail', lost: ['registration'], why: 'each replica keeps its own state' };

const ERROR_PAGE = '<!doctype html><html><body><h1>Authorization failed</h1><p>Token exchange failed</p></body></html>';

const firstBreak: RemoteBreak = { flow: 1, lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'a', createdOn: 'b', errorText: '{"error":"invalid_client"}' };

function cell(overrides: Partial<RemoteCellResult> = {}): RemoteCellResult {
  return {
    scenario: 'two-replicas-roundrobin',
    store: 'memory',
    replicas: 2,
    policy: 'roundrobin',
    hosts: 'own',
    flows: [
      { flow: 1, outcome: { outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'a', createdOn: 'b' }, hops: 5, replicas: ['a', 'b'], durationMs: 100, userAgent: 'http' },
      { flow: 2, outcome: { outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'b', createdOn: 'a' }, hops: 5, replicas: ['a', 'b'], durationMs: 100, userAgent: 'http' },
    ],
    completed: 0,
    lost: { registration: 2 },
    firstBreak,
    expected: REGISTRATION,
    matched: true,
    operations: [
      { op: 'start', replica: 'a', pid: 101, atMs: 0 },
      { op: 'start', replica: 'b', pid: 102, atMs: 0 },
    ],
    durationMs: 2000,
    historyFile: 'runs/r1/remote/two-replicas-roundrobin-memory.jsonl',
    ...overrides,
  };
}

describe('remoteScenarioCases', () => {
  it('one scenario case per cell, its id the scenario under remote/, with the expected and observed phrases', () => {
    const [gateCase, ...rest] = remoteScenarioCases([cell()]);
    expect(rest).toEqual([]);
    expect(gateCase).toMatchObject({ gateGroup: 'scenarios', id: 'remote/two-replicas-roundrobin', store: 'memory', kind: 'scenario', expected: 'fail at registration', observed: 'fail at registration', status: 'pass' });
  });

  it.each([
    ['matched', { matched: true }, 'pass'],
    ['not matched', { matched: false, reason: '1 of 2 flows completed' }, 'fail'],
    ['could not be judged', { matched: 'unknown', reason: 'no flow ran' }, 'unknown'],
    ['a harness error, even where the verdict says matched', { matched: true, harnessError: 'haproxy would not start' }, 'harness-error'],
    ['a harness error on an unknown cell', { matched: 'unknown', harnessError: 'the deployment did not start' }, 'harness-error'],
  ] as const)('status of a cell %s: %s', (_, overrides, status) => {
    expect(remoteScenarioCases([cell(overrides as Partial<RemoteCellResult>)])[0]!.status).toBe(status);
  });

  it("carries the fail expectation's why", () => {
    expect(remoteScenarioCases([cell()])[0]!.why).toBe('each replica keeps its own state');
  });

  it('has no why for a pass expectation, nor for a fail expectation without one', () => {
    const pass = remoteScenarioCases([cell({ expected: { outcome: 'pass' } })])[0]!;
    const bare = remoteScenarioCases([cell({ expected: { outcome: 'fail', lost: ['code'] } })])[0]!;
    expect(pass).not.toHaveProperty('why');
    expect(bare).not.toHaveProperty('why');
  });

  it('keeps each cell its own case, in order, with its store', () => {
    const cases = remoteScenarioCases([cell(), cell({ store: 'redis', expected: { outcome: 'pass' }, matched: false }), cell({ scenario: 'one-replica' })]);
    expect(cases.map((c) => `${c.id} ${c.store} ${c.status}`)).toEqual(['remote/two-replicas-roundrobin memory pass', 'remote/two-replicas-roundrobin redis fail', 'remote/one-replica memory pass']);
  });

  it('the evidence says what was expected and observed, why it did not match, the first break, and where the history is', () => {
    const { evidence } = remoteScenarioCases([cell({ matched: false, reason: 'flows broke at registration ×2; expected code', expected: { outcome: 'fail', lost: ['code'] } })])[0]!;
    const lines = evidence.split('\n');
    expect(lines[0]).toBe('expected fail at code, observed fail at registration (flows broke at registration ×2; expected code)');
    expect(lines[1]).toBe('2 replica(s), roundrobin, hosts own; 0/2 flows completed, broken: registration ×2');
    expect(lines).toContain('first break: flow 1, hop 4 authorize → 400 on a (made on b): {"error":"invalid_client"}');
    expect(lines.at(-1)).toBe('history: runs/r1/remote/two-replicas-roundrobin-memory.jsonl');
  });

  it('the evidence lists replica operations only when something other than the initial starts happened', () => {
    const quiet = remoteScenarioCases([cell()])[0]!.evidence;
    expect(quiet).not.toMatch(/^replicas:/m);
    const restarted = remoteScenarioCases([cell({ operations: [{ op: 'start', replica: 'a', pid: 101, atMs: 0 }, { op: 'stop', replica: 'a', pid: 101, atMs: 900 }, { op: 'start', replica: 'a', pid: 103, atMs: 950 }] })])[0]!.evidence;
    expect(restarted).toMatch(/^replicas: start a \(pid 101\) at 0 ms, stop a \(pid 101\) at 900 ms, start a \(pid 103\) at 950 ms$/m);
  });

  it('the evidence of a harness error names it', () => {
    expect(remoteScenarioCases([cell({ harnessError: 'haproxy would not start' })])[0]!.evidence).toContain('harness error: haproxy would not start');
  });
});

describe('describeRemoteExpected', () => {
  it('"pass", or "fail at" the hops named, joined with "or"', () => {
    expect(describeRemoteExpected({ outcome: 'pass' })).toBe('pass');
    expect(describeRemoteExpected(REGISTRATION)).toBe('fail at registration');
    expect(describeRemoteExpected({ outcome: 'fail', lost: ['registration', 'authorize-state', 'code'] })).toBe('fail at registration or authorize-state or code');
  });
});

describe('remoteCellOutcome', () => {
  it("the observed phrase, or 'harness error' for a cell the harness could not run", () => {
    expect(remoteCellOutcome(cell())).toBe('fail at registration');
    expect(remoteCellOutcome(cell({ completed: 2, lost: {}, firstBreak: undefined }))).toBe('pass');
    expect(remoteCellOutcome(cell({ completed: 1, lost: { code: 1 } }))).toBe('1/2 completed, the rest fail at code');
    expect(remoteCellOutcome(cell({ harnessError: 'the deployment did not start' }))).toBe('harness error');
  });

  it("a cell that broke as its routing predicted says 'as routed', however many flows chance sent astray; one that did not, what it observed", () => {
    const asRouted: RemoteExpectation = { outcome: 'as-routed' };
    expect(remoteCellOutcome(cell({ expected: asRouted, completed: 1, lost: { session: 1 } }))).toBe('as routed');
    expect(remoteCellOutcome(cell({ expected: asRouted, completed: 0, lost: { session: 2 } }))).toBe('as routed');
    expect(remoteCellOutcome(cell({ expected: asRouted, matched: false, completed: 2, lost: {} }))).toBe('pass');
  });
});

describe('describeFirstBreak', () => {
  it('no break, nothing to say', () => {
    expect(describeFirstBreak({})).toBeUndefined();
  });

  it('reads as flow, hop, kind, status, replica, where the state was made, and the server\'s words', () => {
    expect(describeFirstBreak({ firstBreak })).toBe('flow 1, hop 4 authorize → 400 on a (made on b): {"error":"invalid_client"}');
  });

  it("strips an error page's HTML tags, keeping its words", () => {
    expect(describeFirstBreak({ firstBreak: { ...firstBreak, errorText: ERROR_PAGE } })).toBe('flow 1, hop 4 authorize → 400 on a (made on b): Authorization failed Token exchange failed');
  });

  it("drops a page's script and style along with their content, and runs of blanks", () => {
    const page = '<html><head><style>h1 { color: red }</style><script>var x = "<b>";</script></head><body>\n  <p>Invalid   state</p>\n</body></html>';
    expect(describeFirstBreak({ firstBreak: { ...firstBreak, errorText: page } })).toBe('flow 1, hop 4 authorize → 400 on a (made on b): Invalid state');
  });

  it('cuts a long error to 120 characters', () => {
    const said = describeFirstBreak({ firstBreak: { ...firstBreak, errorText: 'x'.repeat(500) } })!;
    expect(said.slice(said.indexOf(': ') + 2)).toBe('x'.repeat(120));
  });

  it('leaves out what the break does not know: no status, replica, origin or text', () => {
    expect(describeFirstBreak({ firstBreak: { flow: 3, lost: 'other', hop: 7, kind: 'token' } })).toBe('flow 3, hop 7 token');
    expect(describeFirstBreak({ firstBreak: { flow: 2, lost: 'session', hop: 9, kind: 'other', status: 404, replica: 'b' } })).toBe('flow 2, hop 9 other → 404 on b');
  });
});
