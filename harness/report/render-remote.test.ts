/**
 * The report's remote section: nothing when no remote cell ran, else one
 * table row per scenario × store naming where the first flow broke (hop,
 * replica, where the state was made) and whether that was as expected, with
 * a server's text kept from breaking the markdown table; and the
 * conformance suite's sub-table beside it, the control's row and each
 * judged row marked, or one line saying why the suite did not run.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteCellResult, RemoteConformance } from '../core/remote-cell-result.ts';
import { REMOTE_SECTION, renderRemoteTable } from './render-remote.ts';

function cell(overrides: Partial<RemoteCellResult> = {}): RemoteCellResult {
  return {
    scenario: 'two-replicas-roundrobin',
    store: 'memory',
    replicas: 2,
    policy: 'roundrobin',
    hosts: 'own',
    flows: [
      { flow: 1, outcome: { outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'b', createdOn: 'a' }, hops: 5, replicas: ['a', 'b'], durationMs: 100, userAgent: 'http' },
      { flow: 2, outcome: { outcome: 'broken', lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'a', createdOn: 'b' }, hops: 5, replicas: ['a', 'b'], durationMs: 100, userAgent: 'http' },
    ],
    completed: 0,
    lost: { registration: 2 },
    firstBreak: { flow: 1, lost: 'registration', hop: 4, kind: 'authorize', status: 400, replica: 'b', createdOn: 'a', errorText: 'invalid_client' },
    expected: { outcome: 'fail', lost: ['registration'] },
    matched: true,
    operations: [],
    durationMs: 2000,
    historyFile: 'runs/r1/remote/history.jsonl',
    ...overrides,
  };
}

const passing = (overrides: Partial<RemoteCellResult> = {}) => {
  const { firstBreak: _none, ...rest } = cell({
    scenario: 'one-replica',
    replicas: 1,
    flows: [{ flow: 1, outcome: { outcome: 'completed' }, hops: 13, replicas: ['a'], durationMs: 100, userAgent: 'http' }],
    completed: 1,
    lost: {},
    expected: { outcome: 'pass' },
    ...overrides,
  });
  return rest;
};

function suite(outcomes: Record<string, 'pass' | 'fail' | 'error'>, extra: Partial<RemoteConformance> = {}): RemoteConformance {
  return { version: '0.1.9', bearer: 'flow 3', scenarios: Object.entries(outcomes).map(([name, outcome]) => ({ name, outcome })), durationMs: 800, ...extra };
}

/** The table's rows (lines starting with "|"), after the header and its rule. */
const rows = (lines: string[], header: string) => {
  const start = lines.findIndex((line) => line.startsWith(header));
  const body = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    body.push(line);
  }
  return body;
};

const MAIN_HEADER = '| scenario | store | replicas |';
const CONFORMANCE_HEADER = '| scenario | store | bearer token |';

describe('renderRemoteTable', () => {
  it('no cells, no section', () => {
    expect(renderRemoteTable([])).toEqual([]);
    expect(renderRemoteTable(undefined)).toEqual([]);
  });

  it('a section headed by its title, one row per cell', () => {
    const lines = renderRemoteTable([passing(), cell(), cell({ store: 'redis' })]);
    expect(lines[0]).toBe(`## ${REMOTE_SECTION}`);
    expect(rows(lines, MAIN_HEADER)).toHaveLength(3);
  });

  it("a row names the first break's hop, the replica it looked on and the one that made the state, and the verdict", () => {
    const [row] = rows(renderRemoteTable([cell()]), MAIN_HEADER);
    expect(row).toBe('| two-replicas-roundrobin | memory | 2, roundrobin, hosts own | fail at registration | fail at registration | ✓ as expected | 0/2 | flow 1, hop 4 authorize → 400 on b (made on a): invalid_client |');
  });

  it("a cell that did not match is marked '✗ NOT as expected'", () => {
    const [row] = rows(renderRemoteTable([cell({ expected: { outcome: 'pass' }, matched: false, reason: '2 of 2 flows broke (registration ×2)' })]), MAIN_HEADER);
    expect(row).toContain('| ✗ NOT as expected |');
    expect(row).toContain('| pass | fail at registration |');
  });

  it("marks an unknown cell '? unknown' and a harness error 'HARNESS ERROR', and shows the reason where there is no break", () => {
    const table = rows(renderRemoteTable([passing({ matched: 'unknown', reason: 'no flow ran', flows: [], completed: 0 }), passing({ harnessError: 'haproxy would not start' })]), MAIN_HEADER);
    expect(table[0]).toContain('| ? unknown | 0/0 | no flow ran |');
    expect(table[1]).toContain('| harness error | HARNESS ERROR |');
  });

  it("a passing cell's first-break column is a dash", () => {
    const [row] = rows(renderRemoteTable([passing()]), MAIN_HEADER);
    expect(row).toMatch(/\| ✓ as expected \| 1\/1 \| – \|$/);
  });

  it("escapes a '|' in a server's error text, so the row keeps its columns", () => {
    const broken = cell({ firstBreak: { flow: 1, lost: 'other', hop: 6, kind: 'token', status: 500, replica: 'a', errorText: 'upstream | said no' } });
    const [row] = rows(renderRemoteTable([broken]), MAIN_HEADER);
    expect(row).toContain('upstream \\| said no');
    // Eight columns: nine unescaped bars.
    expect(row!.split(/(?<!\\)\|/).length - 1).toBe(9);
  });

  it('lists the described scenarios under the table', () => {
    const lines = renderRemoteTable([cell()], { 'two-replicas-roundrobin': 'Two replicas | round-robin.', 'not-in-table': 'left out' });
    expect(lines).toContain('- **two-replicas-roundrobin**: Two replicas \\| round-robin.');
    expect(lines.join('\n')).not.toContain('not-in-table');
  });

  it('no cell ran the conformance suite: no conformance sub-table', () => {
    expect(renderRemoteTable([cell()]).join('\n')).not.toContain('conformance suite');
  });

  it("the conformance sub-table: a 'control' row, a '✓' row, and a '✗' row naming what was not as expected", () => {
    const control = passing({ conformance: suite({ 'server-initialize': 'pass', 'tools-list': 'pass', 'prompts-get': 'fail' }, { control: true }) });
    const asExpected = cell({
      scenario: 'rolling-restart',
      expected: { outcome: 'pass' },
      conformance: suite({ 'server-initialize': 'pass', 'tools-list': 'pass', 'prompts-get': 'fail' }, { judged: { expectedFrom: 'the failures through a single replica (one-replica)', expectedFailures: 1, unexpectedFail: [], unexpectedPass: [], matched: true } }),
    });
    const notAsExpected = cell({
      conformance: suite(
        { 'server-initialize': 'fail', 'tools-list': 'pass', 'prompts-get': 'pass' },
        { judged: { expectedFrom: 'the failures through a single replica (one-replica)', expectedFailures: 1, unexpectedFail: ['server-initialize'], unexpectedPass: ['prompts-get'], matched: false } },
      ),
    });
    const lines = renderRemoteTable([control, asExpected, notAsExpected]);
    expect(lines).toContain('### The MCP conformance suite through the balancer');
    const table = rows(lines, CONFORMANCE_HEADER);
    expect(table).toHaveLength(3);
    expect(table[0]).toBe("| one-replica | memory | flow 3 | 2/3 | the control: its 1 failures are the server's own gaps | – | control |");
    expect(table[1]).toBe('| rolling-restart | memory | flow 3 | 2/3 | 1: the failures through a single replica (one-replica) | – | ✓ |');
    expect(table[2]).toBe('| two-replicas-roundrobin | memory | flow 3 | 2/3 | 1: the failures through a single replica (one-replica) | server-initialize failed, prompts-get passed | ✗ |');
  });

  it("a conformance row not judged is marked '?' and says why", () => {
    const [row] = rows(renderRemoteTable([cell({ conformance: suite({ 'server-initialize': 'pass' }) })]), CONFORMANCE_HEADER);
    expect(row).toBe('| two-replicas-roundrobin | memory | flow 3 | 1/1 | – | not judged (no single-replica run of the suite) | ? |');
  });

  it('one cell whose suite did not run, among others that did, gets a row saying so', () => {
    const lines = renderRemoteTable([passing({ conformance: suite({ 'server-initialize': 'pass' }, { control: true }) }), cell({ store: 'redis', conformance: suite({}, { notRun: 'timed out | retry' }) })]);
    const table = rows(lines, CONFORMANCE_HEADER);
    expect(table[1]).toBe('| two-replicas-roundrobin | redis | – | not run: timed out \\| retry | – | – | |');
  });

  it("when no cell's suite ran, the section says 'Not run: <reason>' and has no sub-table", () => {
    const reason = 'npm could not install @modelcontextprotocol/conformance (no network)';
    const lines = renderRemoteTable([passing({ conformance: suite({}, { version: '', notRun: reason }) }), cell({ conformance: suite({}, { version: '', notRun: reason }) })]);
    expect(lines).toContain('### The MCP conformance suite through the balancer');
    expect(lines).toContain(`Not run: ${reason}.`);
    expect(lines.some((line) => line.startsWith(CONFORMANCE_HEADER))).toBe(false);
  });

  it("names the suite's version and the store its cells ran in", () => {
    const text = renderRemoteTable([passing({ conformance: suite({ 'server-initialize': 'pass' }, { control: true }) })]).join('\n');
    expect(text).toContain('`@modelcontextprotocol/conformance` 0.1.9');
    expect(text).toContain('in the cells of one store (memory)');
  });
});

describe('the remote TTL and footprint tables', () => {
  const shape = { quick: true, replicas: 2, policy: 'roundrobin', hosts: 'shared' as const, stores: [] };
  const measured = {
    ttl: { ...shape, ttlMs: 900_000, judged: [{ store: 'memory', verdict: 'unknown' as const, figure: 'baseline: broke | here', why: 'the baseline flow (no clock move) did not complete' }] },
    footprint: { ...shape, judged: [{ store: 'json-file', verdict: 'does not hold' as const, figure: '1676 B on disk per completed flow over 10 flows after the first', overFlows: 10 }] },
  };

  it('one row per store each, with the judgement as published, a pipe in a figure escaped', () => {
    const lines = renderRemoteTable([cell()], {}, { memory: 'memory', file: 'json-file' }, measured);
    expect(rows(lines, '| store | verdict | flows | why |')).toEqual(['| memory | unknown | baseline: broke \\| here | the baseline flow (no clock move) did not complete |']);
    expect(rows(lines, '| store | verdict | bytes per flow | why |')).toEqual(['| json-file | does not hold | 1676 B on disk per completed flow over 10 flows after the first | – |']);
    expect(lines.join('\n')).toContain('(10 flows after the first)');
  });

  it('neither table without its measurement', () => {
    const text = renderRemoteTable([cell()]).join('\n');
    expect(text).not.toContain('14:59 and 15:01');
    expect(text).not.toContain('Bytes per remote flow');
  });
});
