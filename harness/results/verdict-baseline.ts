/**
 * A verdict baseline: every verdict a run reached for a target (each claim,
 * each scenario × store cell, each reliability row × store, each grading
 * cell, each recommendation), as the target's committed expectation. A
 * gate compares a run with it entry by entry and fails on any difference,
 * better or worse: a fix that makes a known failure pass is a change a
 * reviewer should see, as much as a regression. An accepted failure carries
 * its reason in the baseline (`why`), not in code.
 *
 * An entry the run did not cover (a filtered run, a measurement that did not
 * run here) is "not compared", never a pass; an entry the run covered but
 * did not produce is stale; a verdict the run reached that the baseline does
 * not have is new. Pure.
 */
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import { describeCellObserved as cellOutcome, type GateCase, type GateStatus } from './gate-verdict.ts';
import type { ResultsDocument } from './results-document.ts';
import { gateGroupOf, type GateGroup } from './row-expectations.ts';
import { remoteCellEvidence, remoteCellOutcome, remoteScenarioId } from './remote-cases.ts';

export const BASELINE_VERSION = 1;

/** An outcome, and why it is accepted when it is a failure someone chose to keep. */
export interface BaselineOutcome {
  outcome: string;
  why?: string;
}

export interface VerdictBaseline {
  version: typeof BASELINE_VERSION;
  target: string;
  /** 'quick' (npm run repro) or 'bench' (npm run bench): their verdicts may differ, so each has its own file. */
  run: 'quick' | 'bench';
  claims: Record<string, BaselineOutcome>;
  /** scenario → store → observed. */
  scenarios: Record<string, Record<string, BaselineOutcome>>;
  /** measurement → row → store → outcome: a row is compared only when its measurement ran. */
  rows: Record<string, Record<string, Record<string, BaselineOutcome>>>;
  /** store → column → grade. */
  grades: Record<string, Record<string, BaselineOutcome>>;
  /** scope → store (or 'none'). */
  recommendations: Record<string, BaselineOutcome>;
}

/** What of the battery a run covered: the entries outside it are not compared. */
export interface RunScope {
  /** Every scenario, every store, every measurement: entries it does not produce are stale. */
  complete: boolean;
  scenarios: readonly string[];
  stores: readonly string[];
  /** Measurements that ran and were checked (not n/a, not crashed, not left out by --measurement). */
  measurementsRan: readonly string[];
  /** Every measurement ran: claims, grades and recommendations (which read them all) are compared. */
  allMeasurementsRan: boolean;
}


/** The run's verdicts in the baseline's shape (no reasons: those are the baseline's own). */
export function baselineOf(
  document: Pick<ResultsDocument, 'claims' | 'cells' | 'reliability' | 'grading'> & Partial<Pick<ResultsDocument, 'target' | 'measurements' | 'remoteCells'>>,
  run: VerdictBaseline['run'],
): VerdictBaseline {
  const baseline: VerdictBaseline = { version: BASELINE_VERSION, target: document.target ?? '', run, claims: {}, scenarios: {}, rows: {}, grades: {}, recommendations: {} };
  for (const claim of document.claims) baseline.claims[claim.id] = { outcome: claim.verdict };
  for (const cell of document.cells) (baseline.scenarios[cell.scenario] ??= {})[cell.store] = { outcome: cellOutcome(cell) };
  for (const cell of document.remoteCells ?? []) (baseline.scenarios[remoteScenarioId(cell.scenario)] ??= {})[cell.store] = { outcome: remoteCellOutcome(cell) };
  const measurementOf = rowMeasurements(document);
  for (const row of document.reliability) {
    const rows = (baseline.rows[measurementOf.get(row.id) ?? 'unattributed'] ??= {});
    for (const [store, result] of Object.entries(row.perStore)) (rows[row.id] ??= {})[store] = { outcome: result.outcome };
  }
  for (const grade of document.grading?.stores ?? []) for (const [column, cell] of Object.entries(grade.columns)) (baseline.grades[grade.store] ??= {})[column] = { outcome: cell.grade };
  for (const recommendation of document.grading?.recommendations ?? []) baseline.recommendations[recommendation.scope] = { outcome: recommendation.store ?? 'none' };
  return baseline;
}

function rowMeasurements(document: Partial<Pick<ResultsDocument, 'measurements'>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const record of document.measurements ?? []) for (const id of record.rowIds ?? []) map.set(id, record.id);
  return map;
}

/**
 * The baseline rewritten from a run: every verdict as the run reached it;
 * the reason of an entry kept when its outcome did not change (a reason
 * belongs to an outcome), and the entries the run did not cover kept as they
 * were.
 */
export function updatedBaseline(
  previous: VerdictBaseline | undefined,
  document: Parameters<typeof baselineOf>[0],
  run: VerdictBaseline['run'],
  scope: RunScope,
  /** A reason the run itself gives for a failure (the scenario's expectation, the write-up's design): used when the baseline has none. */
  reasonFor: (section: 'scenarios' | 'rows', id: string, store: string) => string | undefined = () => undefined,
): VerdictBaseline {
  const next = baselineOf(document, run);
  const failed = (outcome: string) => outcome.startsWith('fail');
  for (const [scenario, stores] of Object.entries(next.scenarios))
    for (const [store, now] of Object.entries(stores)) {
      const why = failed(now.outcome) ? reasonFor('scenarios', scenario, store) : undefined;
      if (why) stores[store] = { ...now, why };
    }
  for (const rows of Object.values(next.rows))
    for (const [row, stores] of Object.entries(rows))
      for (const [store, now] of Object.entries(stores)) {
        const why = failed(now.outcome) ? reasonFor('rows', row, store) : undefined;
        if (why) stores[store] = { ...now, why };
      }
  const keepWhy = (old: BaselineOutcome | undefined, now: BaselineOutcome) => (old?.why && old.outcome === now.outcome ? { ...now, why: old.why } : now);
  if (!previous) return next;
  for (const [id, now] of Object.entries(next.claims)) next.claims[id] = keepWhy(previous.claims[id], now);
  for (const [scenario, stores] of Object.entries(next.scenarios)) for (const [store, now] of Object.entries(stores)) stores[store] = keepWhy(previous.scenarios[scenario]?.[store], now);
  for (const [measurement, rows] of Object.entries(next.rows))
    for (const [row, stores] of Object.entries(rows)) for (const [store, now] of Object.entries(stores)) stores[store] = keepWhy(previous.rows[measurement]?.[row]?.[store], now);
  for (const [store, columns] of Object.entries(next.grades)) for (const [column, now] of Object.entries(columns)) columns[column] = keepWhy(previous.grades[store]?.[column], now);
  if (scope.complete) return next;
  // A filtered run replaces only what it covered.
  for (const [scenario, stores] of Object.entries(previous.scenarios))
    for (const [store, old] of Object.entries(stores)) if (!(scope.scenarios.includes(scenario) && scope.stores.includes(store))) (next.scenarios[scenario] ??= {})[store] = old;
  for (const [measurement, rows] of Object.entries(previous.rows)) {
    if (scope.measurementsRan.includes(measurement)) {
      for (const [row, stores] of Object.entries(rows)) for (const [store, old] of Object.entries(stores)) if (!scope.stores.includes(store)) ((next.rows[measurement] ??= {})[row] ??= {})[store] = old;
    } else next.rows[measurement] = rows;
  }
  const claimsNow = next.claims;
  next.claims = { ...previous.claims };
  for (const [id, now] of Object.entries(claimsNow)) if (claimOutside(id, document, scope) === undefined) next.claims[id] = now;
  if (!scope.allMeasurementsRan || scope.stores.length < Object.keys(previous.grades).length) {
    next.grades = previous.grades;
    next.recommendations = previous.recommendations;
  }
  return next;
}

/**
 * Why a filtered run cannot judge a claim as a complete run would, or
 * undefined when it can: the measurement that judges it did not run, a
 * scenario cell it is read from was left out, or a claim it reads (for a
 * condition) is itself out of reach.
 */
export function claimOutside(id: string, document: Pick<ResultsDocument, 'claims'> & Partial<Pick<ResultsDocument, 'measurements'>>, scope: RunScope, seen: ReadonlySet<string> = new Set()): string | undefined {
  const judgedHere = scope.allMeasurementsRan || (document.measurements ?? []).some((m) => scope.measurementsRan.includes(m.id) && (m.claimIds ?? []).includes(id));
  if (!judgedHere) return 'the measurement that judges it did not run here';
  const reads = document.claims.find((claim) => claim.id === id)?.reads;
  const missing = (reads?.cells ?? []).filter((cell) => !(scope.scenarios.includes(cell.scenario) && scope.stores.includes(cell.store)));
  if (missing.length) return `it is judged from ${missing.map((cell) => `${cell.scenario} × ${cell.store}`).join(' and ')}, which this run left out`;
  const storesLeftOut = (reads?.stores ?? []).filter((store) => !scope.stores.includes(store));
  if (storesLeftOut.length) return `it is judged on ${storesLeftOut.join(' and ')}, which this run left out`;
  for (const other of reads?.claims ?? []) {
    if (seen.has(other) || other === id) continue;
    const why = claimOutside(other, document, scope, new Set([...seen, id]));
    if (why) return `it reads ${other}, which this run could not judge (${why})`;
  }
  return undefined;
}

interface Entry {
  key: string;
  gateGroup: GateGroup;
  kind: GateCase['kind'];
  id: string;
  store: string;
  expected?: BaselineOutcome;
  observed?: string;
  evidence: string;
  /** Outside what the run covered: not compared. */
  outside?: string;
}

/**
 * Every baseline entry and every verdict of the run, paired, as gate cases:
 * equal → pass, different → fail. Entries outside what the run covered are
 * left out of the cases (a filtered run would drown in them) and counted,
 * each with why, in `notCompared`.
 */
export function compareWithBaseline(baseline: VerdictBaseline, document: ResultsDocument, scope: RunScope): { cases: GateCase[]; notCompared: string[] } {
  const entries = new Map<string, Entry>();
  const put = (entry: Omit<Entry, 'evidence'> & { evidence?: string }) => {
    const old = entries.get(entry.key);
    entries.set(entry.key, { ...old, ...entry, evidence: entry.evidence ?? old?.evidence ?? '' } as Entry);
  };
  const rowGroups = new Map(document.reliability.map((row) => [row.id, row.group] as const));

  // What the run reached.
  for (const claim of document.claims) put({ key: `claim ${claim.id}`, gateGroup: 'claims', kind: 'claim', id: claim.id, store: '–', observed: claim.verdict, evidence: `${claim.figure}${claim.conditions ? `; ${claim.conditions}` : ''}` });
  for (const cell of document.cells) {
    const evidence = [`${cell.flows} flows; state lookups ${cell.stateLookups.ok} ok / ${cell.stateLookups.failed} failed`, ...cell.errors.map((e) => `${e.count}× at ${e.stage}: ${e.message}`), `history: ${cell.historyFile}`].join('\n');
    put({ key: `cell ${cell.scenario} × ${cell.store}`, gateGroup: 'scenarios', kind: 'scenario', id: cell.scenario, store: cell.store, observed: cellOutcome(cell), evidence });
  }
  for (const cell of document.remoteCells ?? []) {
    const id = remoteScenarioId(cell.scenario);
    put({ key: `cell ${id} × ${cell.store}`, gateGroup: 'scenarios', kind: 'scenario', id, store: cell.store, observed: remoteCellOutcome(cell), evidence: remoteCellEvidence(cell) });
  }
  for (const row of document.reliability)
    for (const [store, result] of Object.entries(row.perStore))
      put({ key: `row ${row.id} × ${store}`, gateGroup: gateGroupOf(row.group), kind: row.group, id: row.id, store, observed: result.outcome, evidence: result.detail });
  for (const grade of document.grading?.stores ?? [])
    for (const [column, cell] of Object.entries(grade.columns)) put({ key: `grade ${grade.store} × ${column}`, gateGroup: 'grading', kind: 'grade', id: column, store: grade.store, observed: cell.grade, evidence: cell.detail });
  for (const r of document.grading?.recommendations ?? []) put({ key: `ship ${r.scope}`, gateGroup: 'grading', kind: 'recommendation', id: r.scope, store: '–', observed: r.store ?? 'none', evidence: r.why });

  // What the baseline expects, and whether this run covered it.
  for (const [id, expected] of Object.entries(baseline.claims)) {
    const outside = claimOutside(id, document, scope);
    put({ key: `claim ${id}`, gateGroup: 'claims', kind: 'claim', id, store: '–', expected, ...(outside ? { outside } : {}) });
  }
  for (const [scenario, stores] of Object.entries(baseline.scenarios))
    for (const [store, expected] of Object.entries(stores)) {
      const covered = scope.scenarios.includes(scenario) && scope.stores.includes(store);
      put({ key: `cell ${scenario} × ${store}`, gateGroup: 'scenarios', kind: 'scenario', id: scenario, store, expected, ...(covered ? {} : { outside: 'this run left the scenario or the store out' }) });
    }
  for (const [measurement, rows] of Object.entries(baseline.rows))
    for (const [row, stores] of Object.entries(rows))
      for (const [store, expected] of Object.entries(stores)) {
        const group: ReliabilityRow['group'] = rowGroups.get(row) ?? 'fault';
        const outside = !scope.measurementsRan.includes(measurement) ? `its measurement (${measurement}) did not run here` : scope.stores.includes(store) ? undefined : 'this run left the store out';
        put({ key: `row ${row} × ${store}`, gateGroup: gateGroupOf(group), kind: group, id: row, store, expected, ...(outside ? { outside } : {}) });
      }
  const judgesAll = scope.allMeasurementsRan && Object.keys(baseline.grades).every((store) => scope.stores.includes(store));
  for (const [store, columns] of Object.entries(baseline.grades))
    for (const [column, expected] of Object.entries(columns))
      put({ key: `grade ${store} × ${column}`, gateGroup: 'grading', kind: 'grade', id: column, store, expected, ...(judgesAll ? {} : { outside: 'grading reads every store and measurement, and this run had not all of them' }) });
  for (const [scope_, expected] of Object.entries(baseline.recommendations))
    put({ key: `ship ${scope_}`, gateGroup: 'grading', kind: 'recommendation', id: scope_, store: '–', expected, ...(judgesAll ? {} : { outside: 'grading reads every store and measurement, and this run had not all of them' }) });

  const all = [...entries.values()];
  // Outside this run's reach means not compared, even where the run produced a value: a filtered run still grades and
  // recommends from the stores and measurements it had, and that partial answer is not the one the baseline recorded.
  const outside = (entry: Entry) => entry.outside !== undefined;
  return { cases: all.filter((entry) => !outside(entry)).map(toCase), notCompared: all.filter(outside).map((entry) => `${entry.key}: ${entry.outside}`) };
}

function toCase(entry: Entry): GateCase {
  const base = { gateGroup: entry.gateGroup, id: entry.id, store: entry.store, kind: entry.kind, baseline: true as const };
  const expected = entry.expected?.outcome;
  const why = entry.expected?.why;
  if (entry.observed === 'harness error') return { ...base, expected: expected ?? '–', observed: 'harness-error', status: 'harness-error', evidence: entry.evidence };
  if (expected === undefined) {
    return { ...base, expected: 'not in the baseline', observed: entry.observed!, status: 'fail', evidence: `new: the baseline has no entry for ${entry.key}; if this is right, accept it with --update-baseline\n${entry.evidence}` };
  }
  if (entry.observed === undefined) {
    return { ...base, expected, observed: 'not produced', status: 'fail', evidence: `stale: the baseline expects ${entry.key} = ${expected}, and this complete run did not produce it; if it is gone for good, --update-baseline removes it` };
  }
  const same = entry.observed === expected;
  const status: GateStatus = same ? (expected === 'n/a' ? 'n/a' : 'pass') : 'fail';
  const evidence = same ? entry.evidence : `${entry.key}: the baseline says ${expected}${why ? ` (accepted: ${why})` : ''}, this run ${entry.observed}\n${entry.evidence}`;
  return { ...base, expected, observed: entry.observed, status, evidence, ...(why ? { why } : {}) };
}

/** The differences of a comparison, one line each, for the terminal. */
export function differenceLines(cases: readonly GateCase[]): string[] {
  return cases
    .filter((c) => c.status === 'fail')
    .map((c) => {
      const what = c.kind === 'claim' ? `claim ${c.id}` : c.kind === 'recommendation' ? `ship for ${c.id}` : c.kind === 'grade' ? `grade ${c.store} × ${c.id}` : `${c.id} × ${c.store}`;
      return `  ${what}: baseline ${c.expected}, this run ${c.observed} — ${c.evidence.split('\n')[0]!.slice(0, 220)}`;
    });
}
