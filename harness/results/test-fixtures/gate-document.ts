/** A small results document for the gate's tests: two scenarios × three stores, a few rows, two claims. */
import type { CellResult } from '../../core/cell-result.ts';
import type { StoreProfile } from '../../core/store-profile.ts';
import type { ReliabilityRow } from '../../measurements/measure-context.ts';
import type { ResultsDocument } from '../results-document.ts';

export const PROFILES: Record<string, StoreProfile> = {
  memory: { reach: 'process' },
  'json-file': { reach: 'host' },
  'atomic-file': { reach: 'host' },
  'sealed-state': { reach: 'hosts' },
};

export function cell(scenario: string, store: string, over: Partial<CellResult> = {}): CellResult {
  const failing = store === 'memory' && scenario === 'split-process';
  return {
    scenario,
    store,
    topology: scenario,
    flows: 5,
    stateLookups: failing ? { ok: 0, failed: 5 } : { ok: 5, failed: 0 },
    tokenExchanges: failing ? { ok: 0, failed: 0 } : { ok: 5, failed: 0 },
    tokenHandoffs: failing ? { ok: 0, failed: 0, superseded: 0, notObservable: 0 } : { ok: 5, failed: 0, superseded: 0, notObservable: 0 },
    errors: failing ? [{ stage: 'state-lookup', message: 'Invalid or expired OAuth state parameter. Please restart the authentication flow.', count: 5 }] : [],
    processes: [{ role: 'tool', name: 'tool-a', pid: 101, host: 'a' }, { role: 'callback', name: 'callback-a', pid: 102, host: 'a' }],
    latencyMs: { p50: 40, p95: 60, samples: 5 },
    expected: failing ? { outcome: 'fail', stage: 'state-lookup', message: 'Invalid or expired OAuth state parameter. Please restart the authentication flow.', why: 'a static Map is per process' } : { outcome: 'pass' },
    observed: failing ? { outcome: 'fail', stage: 'state-lookup', message: 'Invalid or expired OAuth state parameter. Please restart the authentication flow.' } : { outcome: 'pass' },
    matched: true,
    checkers: [],
    durationMs: 3200,
    historyFile: `history/${scenario}.${store}.jsonl`,
    ...over,
  };
}

const all = (outcome: 'pass' | 'fail' | 'n/a' | 'recorded' | 'unknown', detail = 'answered 400, nothing echoed') =>
  Object.fromEntries(Object.keys(PROFILES).map((store) => [store, { outcome, detail }]));

export function rows(): ReliabilityRow[] {
  return [
    { id: 'hostile/400-invalid-state/state-script', group: 'hostile-input', what: 'a script in the state', perStore: all('pass'), command: 'npm run repro' },
    { id: 'provider-fault/token-endpoint-500', group: 'provider-fault', what: 'the token endpoint answers 500', perStore: all('pass', 'said so, no retry loop'), command: 'npm run repro' },
    { id: 'provider-fault/state-survives-retry', group: 'provider-fault', what: 'a state survives a failed exchange', perStore: all('recorded', 'kept for a retry'), command: 'npm run repro' },
    {
      id: 'security/session-file-mode',
      group: 'security',
      what: 'mode bits of the session file',
      perStore: {
        memory: { outcome: 'n/a', detail: 'no file' },
        'json-file': { outcome: 'fail', detail: '0644 in a 1777 folder' },
        'atomic-file': { outcome: 'pass', detail: '0600 in a 0700 folder' },
        'sealed-state': { outcome: 'n/a', detail: 'no file: the session travels in the state' },
      },
      command: 'npm run repro',
    },
    {
      id: 'forced-double-use',
      group: 'fault',
      what: 'two callbacks with one state at once',
      perStore: {
        memory: { outcome: 'n/a', detail: 'one process' },
        'json-file': { outcome: 'fail', detail: 'both lookups succeeded' },
        'atomic-file': { outcome: 'pass', detail: 'one lookup succeeded' },
        'sealed-state': { outcome: 'fail', detail: 'both lookups succeeded' },
      },
      command: 'npm run repro',
    },
  ];
}

export function gateDocument(over: Partial<ResultsDocument> = {}): ResultsDocument {
  const cells = ['single-process', 'split-process'].flatMap((scenario) => Object.keys(PROFILES).map((store) => cell(scenario, store)));
  return {
    schemaVersion: 1,
    target: 'src (test)',
    targetSource: { file: 'src/repro.target.ts' },
    isolation: { mode: 'mount-namespace', detail: 'unshare --mount' },
    mockUnhandledRequests: { count: 0, examples: [] },
    runDir: 'runs/test',
    environment: { commit: 'abc', dirty: false, date: '2026-12-02T00:00:00.000Z', node: 'v20', os: 'linux', cpu: 'x', cpus: 2, command: 'npm run repro' },
    wallMs: 12_345,
    cells,
    skipped: [],
    claims: [
      { id: 'C1', claim: 'static memory cannot share sessions between processes', measured: 'split-process × memory', figure: '0 of 5 flows found their state', samples: '5 flows', verdict: 'holds', command: 'npm run repro', quick: true },
      { id: 'C6', claim: '15min TTL', measured: 'virtual clock', figure: 'not measured', samples: '–', verdict: 'unknown', conditions: 'the target is not a Node process', command: 'npm run repro', quick: true },
    ],
    reliability: rows(),
    charts: [],
    grading: null,
    measurements: [],
    verdict: { allMatched: true, matched: cells.length, mismatched: 0, unknown: 0, harnessErrors: 0, measurementErrors: 0 },
    ...over,
  };
}

/** The rows with one row × store changed: how a test breaks the run on purpose. */
export function withOutcome(source: ReliabilityRow[], id: string, store: string, outcome: 'pass' | 'fail' | 'unknown' | 'n/a', detail: string): ReliabilityRow[] {
  return source.map((row) => (row.id === id ? { ...row, perStore: { ...row.perStore, [store]: { outcome, detail } } } : row));
}
