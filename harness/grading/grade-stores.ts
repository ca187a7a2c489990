/**
 * harness/grading/: every store graded from the run's cells and measurements; the recommendations.
 *
 * "Which fix to ship": every store graded on the same battery, from this
 * run's results only, and a recommendation computed from the grades. Pure:
 * results document in, grades out.
 *
 * Every column shows what it counted (flows, cases or probes passed of
 * those judged), and the ranking reads those counts before any latency:
 * columns passed, then reliability cases failed and passed, then the take
 * p50, so a store that passes more cases never loses on a micro-latency. A case that cannot apply ('n/a') or was only
 * recorded never counts (case-tally.ts).
 */
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import type { CellResult } from '../core/cell-result.ts';
import type { StoreProfile } from '../core/store-profile.ts';
import { TOPOLOGIES, type TopologyName } from '../core/topologies.ts';
import type { GradeColumnSpec, MeasurementRecord } from '../measurements/measurement.ts';
import { publishedValue } from '../measurements/published-values.ts';
import { tallyCases, type CaseTally } from '../measurements/case-tally.ts';
import type { Grade, GradeCell } from '../measurements/grade-cell.ts';
import { dependencyCostOf } from './store-dependencies.ts';

export { rowsGrade } from '../measurements/grade-cell.ts';
export type { Grade, GradeCell } from '../measurements/grade-cell.ts';

/** What grading reads of a run: its cells, reliability rows and measurement records (the results document is one). */
export interface GradingInput {
  cells: readonly CellResult[];
  reliability: readonly ReliabilityRow[];
  measurements: readonly MeasurementRecord[];
  /** The target's name: dependency costs are stated for src/'s stores only. */
  target?: string;
  /** The remote table, when one ran: it decides the "several replicas behind a balancer" recommendation. */
  remoteCells?: readonly RemoteCellResult[];
}

/** A column's name: one per scenario of the run, then the ones the measurements declared. */
export type GradeColumn = string;

export interface StoreGrade {
  store: string;
  /** What the store needs beyond the process: a server, a shared key. */
  needs: string[];
  /** Packages, native code and services the store costs (src/'s stores; "not stated" for another target's). */
  dependencyCost: string;
  columns: Record<GradeColumn, GradeCell>;
  /** Every reliability case of the store: passed and failed (judged), and what stayed out of the count. */
  cases: CaseTally;
  /** Flow p50 in single-process (the topology where memory works too), and its ratio to memory's there. */
  flowP50Ms?: number;
  flowRatio?: number;
  /** Per-operation p50 (µs) at the largest live-session count the run measured. */
  getP50Us?: number;
  takeP50Us?: number;
  opSessions?: number;
}

export interface Recommendation {
  scope: 'one host' | 'several hosts' | 'several replicas behind a balancer' | 'default of the target';
  store: string | null;
  why: string;
}

export interface StoreGrading {
  /** The columns, in the order the report shows them: the scenarios', then the measurements'. Absent in documents written before columns were declared. */
  columns?: GradeColumnSpec[];
  stores: StoreGrade[];
  recommendations: Recommendation[];
}

const cellGrade = (cell: CellResult | undefined, expectedFailWhy?: string): GradeCell => {
  if (!cell || cell.harnessError) return { grade: 'not measured', detail: cell?.harnessError?.split('\n')[0] ?? 'not run' };
  // A flow counts when it completed; a hand-off the target does not let anyone see is said, not counted as seen.
  const completed = cell.flows - cell.errors.reduce((sum, e) => sum + e.count, 0);
  const count = { passed: completed, judged: cell.flows, unit: 'flows' };
  const unseen = cell.tokenHandoffs.notObservable ? ` (${cell.tokenHandoffs.notObservable} hand-offs not observable)` : '';
  const detail = `${completed}/${cell.flows} flows${unseen}`;
  if (cell.flows > 0 && completed === cell.flows) return { grade: 'pass', detail, count };
  return { grade: 'fail', detail: expectedFailWhy ? `${detail}: ${expectedFailWhy}` : detail, count };
};

/** One column per scenario of the run, in the cells' order; a scenario whose processes sit on different hosts needs several hosts. */
export function scenarioColumns(cells: readonly CellResult[]): GradeColumnSpec[] {
  const columns: GradeColumnSpec[] = [];
  for (const cell of cells) {
    if (columns.some((column) => column.name === cell.scenario)) continue;
    const topology = TOPOLOGIES[cell.topology as TopologyName];
    columns.push({
      name: cell.scenario,
      what: `the ${cell.scenario} scenario's flows`,
      ...(topology && topology.callbackHost !== 'a' ? { severalHosts: true } : {}),
    });
  }
  return columns;
}

const POINTS: Record<Exclude<Grade, 'n/a'>, number> = { pass: 1, conditional: 0.5, fail: 0, 'not measured': 0 };

/** Points over the columns that apply to the store: an n/a column is in neither number (a pass cannot come from it, nor a penalty). */
export function score(grade: StoreGrade, columns: readonly GradeColumn[]): { points: number; of: number } {
  const applicable = columns.map((column) => grade.columns[column]?.grade ?? 'not measured').filter((g): g is Exclude<Grade, 'n/a'> => g !== 'n/a');
  return { points: applicable.reduce((sum, g) => sum + POINTS[g], 0), of: applicable.length };
}

const share = ({ points, of }: { points: number; of: number }) => (of === 0 ? 0 : points / of);
const columnsText = ({ points, of }: { points: number; of: number }) => `${points}/${of}`;

/**
 * Order of preference, best first: the larger share of the columns that
 * apply passed (n/a columns left out); then fewer
 * reliability cases failed and more passed (a failure is evidence against a
 * store; n/a is no evidence either way); then the faster take (the
 * callback's lookup) at the most live sessions measured, then get; the flow
 * p50 last, because five flows on a shared machine are too few to separate
 * stores whose take differs by orders of magnitude.
 */
export function rankStores(grades: readonly StoreGrade[], columns: readonly GradeColumn[]): StoreGrade[] {
  return [...grades].sort(
    (a, b) =>
      share(score(b, columns)) - share(score(a, columns)) ||
      a.cases.failed - b.cases.failed ||
      b.cases.passed - a.cases.passed ||
      (a.takeP50Us ?? Infinity) - (b.takeP50Us ?? Infinity) ||
      (a.getP50Us ?? Infinity) - (b.getP50Us ?? Infinity) ||
      (a.flowRatio ?? Infinity) - (b.flowRatio ?? Infinity),
  );
}

function because(grade: StoreGrade, columns: readonly GradeColumn[], among: readonly StoreGrade[]): string {
  const fails = columns.filter((c) => grade.columns[c]?.grade !== 'pass' && grade.columns[c]?.grade !== 'n/a');
  const ranked = rankStores(among, columns).map((g) => `${g.store} ${columnsText(score(g, columns))} (${g.cases.passed}/${g.cases.judged} cases)`);
  const take = grade.takeP50Us === undefined ? 'take not measured' : `take p50 ${grade.takeP50Us} µs at ${grade.opSessions?.toLocaleString('en-US')} live sessions`;
  const ratio = grade.flowRatio === undefined ? 'flow overhead not measured' : `flow p50 ×${grade.flowRatio.toFixed(2)} memory's`;
  return (
    `${columnsText(score(grade, columns))} columns that apply, ${grade.cases.passed}/${grade.cases.judged} cases passed (ranked: ${ranked.join(', ')})` +
    `${fails.length ? `; short of pass on ${fails.join(', ')}` : ''}; ${take}; ${ratio}; dependency cost: ${grade.dependencyCost}`
  );
}

export function gradeStores(document: GradingInput, profiles: Readonly<Record<string, StoreProfile>>, srcDefaultStore?: string): StoreGrading {
  const stores = [...new Set(document.cells.map((c) => c.store))];
  const measured = document.measurements.flatMap((record) => record.columns ?? []);
  const byScenarioSpecs = scenarioColumns(document.cells);
  const columns: GradeColumnSpec[] = [...byScenarioSpecs, ...measured.map(({ cells: _cells, ...spec }) => spec)];
  const latency = publishedValue(document.measurements, 'store-latency');
  const flowOverhead = publishedValue(document.measurements, 'flow-overhead');
  const cell = (scenario: string, store: string) => document.cells.find((c) => c.scenario === scenario && c.store === store);
  // Flow overhead from its own measurement (many sequential flows against a baseline whose flows succeed), else the 5-flow cells.
  const flowP50 = (store: string) => (flowOverhead ? flowOverhead.stores.find((s) => s.store === store)?.p50Ms : cell('single-process', store)?.latencyMs.p50);
  const baseline = flowP50('memory');

  const grades: StoreGrade[] = stores.map((store) => {
    const point = latency?.stores.find((s) => s.store === store)?.points.at(-1);
    const p50 = flowP50(store);
    const byScenario = byScenarioSpecs.map((column) => {
      const scenarioCell = cell(column.name, store);
      const expected = scenarioCell?.expected;
      return [column.name, cellGrade(scenarioCell, expected?.outcome === 'fail' ? expected.why : undefined)] as const;
    });
    const byMeasurement = measured.map((column) => [column.name, column.cells[store] ?? { grade: 'not measured', detail: 'this store was not graded on it' }] as const);
    return {
      store,
      needs: [...(profiles[store]?.needs ?? [])],
      dependencyCost: dependencyCostOf(document.target, store),
      columns: Object.fromEntries([...byScenario, ...byMeasurement]) as Record<GradeColumn, GradeCell>,
      cases: tallyCases(document.reliability, store),
      flowP50Ms: p50,
      flowRatio: p50 !== undefined && baseline ? p50 / baseline : undefined,
      getP50Us: point?.ops.get.p50Us,
      takeP50Us: point?.ops.take.p50Us,
      opSessions: point?.liveSessions,
    };
  });

  const names = columns.map((c) => c.name);
  const severalHostNames = columns.filter((c) => c.severalHosts).map((c) => c.name);
  const oneHostColumns = names.filter((c) => !severalHostNames.includes(c));
  // "One host" is what a store without a server can offer; memory is the bug itself.
  const serverless = grades.filter((g) => !profiles[g.store]?.needsRedis && g.store !== 'memory');
  const oneHost = rankStores(serverless, oneHostColumns)[0];
  // "Several hosts" asks for a pass on every column that needs several hosts (a run without one cannot judge it).
  const multiHost = severalHostNames.length ? grades.filter((g) => g.store !== 'memory' && severalHostNames.every((c) => g.columns[c]?.grade === 'pass')) : [];
  const severalHosts = rankStores(multiHost, names)[0];
  // The default must work out of the box: no server and nothing to configure.
  const zeroConfig = grades.filter((g) => g.needs.length === 0 && g.store !== 'memory');
  const defaultPick = rankStores(zeroConfig, oneHostColumns)[0];
  const noneBecause = {
    'one host': () => (grades.length === 0 ? 'no store was graded' : `no store qualifies: ${grades.map((g) => `${g.store} ${g.store === 'memory' ? 'is the bug itself (one process only)' : 'needs a server'}`).join(', ')}`),
    'several hosts': () => {
      if (grades.length === 0) return 'no store was graded';
      if (severalHostNames.length === 0) return 'no store qualifies: this run had no scenario with processes on several hosts';
      const short = grades.map((g) => `${g.store}: ${severalHostNames.map((c) => `${c} ${g.columns[c]?.grade ?? 'not measured'} (${g.columns[c]?.detail.split('\n')[0] ?? 'no cell'})`).join(', ')}`);
      return `no store qualifies: none passed ${severalHostNames.join(' and ')} (${short.join('; ')})`;
    },
    'default of the target': () =>
      grades.length === 0 ? 'no store was graded' : `no store qualifies: every store needs something configured or is memory (${grades.map((g) => `${g.store}: ${g.needs.join(', ') || 'memory'}`).join('; ')})`,
  };
  const replicasPick = severalReplicas(document.remoteCells, grades, names);
  const why = (scope: Exclude<Recommendation['scope'], 'several replicas behind a balancer'>, grade: StoreGrade | undefined, considered: readonly GradeColumn[], among: readonly StoreGrade[]) =>
    grade ? because(grade, considered, among) : noneBecause[scope]();
  const recommendations: Recommendation[] = [
    { scope: 'one host', store: oneHost?.store ?? null, why: why('one host', oneHost, oneHostColumns, serverless) },
    { scope: 'several hosts', store: severalHosts?.store ?? null, why: why('several hosts', severalHosts, names, multiHost) },
    ...(replicasPick ? [replicasPick] : []),
    {
      scope: 'default of the target',
      store: defaultPick?.store ?? null,
      why: `${why('default of the target', defaultPick, oneHostColumns, zeroConfig)}; the target defaults to ${srcDefaultStore ?? '(not measured)'}${srcDefaultStore ? (srcDefaultStore === defaultPick?.store ? ', which agrees' : ', which DISAGREES') : ''}`,
    },
  ];
  return { columns, stores: grades, recommendations };
}

/**
 * For a remote server run as replicas behind a balancer: among the stores that completed every flow of every
 * remote scenario (round-robin, sticky, hashed, a rolling restart, a replica added), the best ranked on the
 * scenario table and the measurements. Absent when no remote scenario ran.
 */
function severalReplicas(remoteCells: readonly RemoteCellResult[] | undefined, grades: readonly StoreGrade[], columns: readonly GradeColumn[]): Recommendation | undefined {
  if (!remoteCells?.length) return undefined;
  const scenarios = [...new Set(remoteCells.map((cell) => cell.scenario))];
  const passedAll = (store: string) => {
    const cells = remoteCells.filter((cell) => cell.store === store);
    return cells.length === scenarios.length && cells.every((cell) => !cell.harnessError && cell.flows.length > 0 && cell.completed === cell.flows.length);
  };
  const candidates = grades.filter((g) => g.store !== 'memory' && passedAll(g.store));
  const pick = rankStores(candidates, columns)[0];
  const scope = 'several replicas behind a balancer' as const;
  if (!pick) {
    const short = grades.map((g) => `${g.store}: ${remoteCells.filter((cell) => cell.store === g.store && cell.completed < cell.flows.length).map((cell) => cell.scenario).join(', ') || 'not run'}`);
    return { scope, store: null, why: `no store qualifies: each broke a flow in some remote scenario (${short.join('; ')})` };
  }
  const others = candidates.filter((g) => g !== pick).map((g) => g.store);
  return {
    scope,
    store: pick.store,
    why: `${pick.store} completed every flow of all ${scenarios.length} remote scenarios (${scenarios.join(', ')})${others.length ? `, as did ${others.join(' and ')}; it ranks first on the table and the measurements` : ''}; ${because(pick, columns, candidates)}`,
  };
}
