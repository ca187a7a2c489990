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
import type { FlowOverheadResult } from '../measurements/store-bench/flow-overhead.ts';
import type { StoreLatencyResult } from '../measurements/store-bench/store-latency.ts';
import type { TtlResult } from '../measurements/ttl-clock/ttl-result.ts';
import type { C8Raw } from '../measurements/concurrency/c8-measurement.ts';
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import type { CellResult } from '../core/cell-result.ts';
import type { StoreProfile } from '../core/store-profile.ts';
import type { MeasurementRecord } from '../measurements/measurement.ts';
import { describeOutside, tallyCases, type CaseTally } from './case-tally.ts';
import { dependencyCostOf } from './store-dependencies.ts';
import { judgeTtlColumn } from './ttl-grade.ts';

/** What grading reads of a run: its cells, reliability rows and measurements (the results document is one). */
export interface GradingInput {
  cells: readonly CellResult[];
  reliability: readonly ReliabilityRow[];
  measurements: readonly MeasurementRecord[];
  /** The target's name: dependency costs are stated for src/'s stores only. */
  target?: string;
}

export const GRADE_COLUMNS = [
  'single-process',
  'split-process',
  'isolated',
  'callback-restart',
  'concurrency',
  'crash',
  'TTL',
  'hostile input',
  'security',
] as const;
export type GradeColumn = (typeof GRADE_COLUMNS)[number];

/** Columns that need more than one host: a one-host store is not graded on them for "one host". */
export const SEVERAL_HOST_COLUMNS: readonly GradeColumn[] = ['isolated'];

/** 'n/a': no case of the column can apply to the store (all n/a or recorded); the column is left out of its score. */
export type Grade = 'pass' | 'conditional' | 'fail' | 'not measured' | 'n/a';

export interface GradeCell {
  grade: Grade;
  detail: string;
  /** What the grade counted: passed of judged, in `unit` (flows, cases, probes). Absent when nothing was counted. */
  count?: { passed: number; judged: number; unit: string };
}

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
  scope: 'one host' | 'several hosts' | 'default of the target';
  store: string | null;
  why: string;
}

export interface StoreGrading {
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

/** A column made of reliability rows: pass when every judged case passed; n/a, recorded, unknown and harness-error cases are left out. */
export function rowsGrade(rows: readonly ReliabilityRow[], store: string): GradeCell {
  const tally = tallyCases(rows, store);
  const outside = describeOutside(tally);
  const note = outside.length ? ` (${outside.join(', ')} not counted)` : '';
  if (tally.judged === 0) {
    // Nothing judged because nothing could apply is no evidence either way; nothing judged because the harness failed is 'not measured', and says so.
    const notJudged = tally.unknown + tally.harnessErrors;
    if (notJudged === 0 && tally.notApplicable + tally.recorded > 0) return { grade: 'n/a', detail: `no case applies${note}` };
    return { grade: 'not measured', detail: notJudged ? `no case judged${note}` : `no case ran${note}` };
  }
  const count = { passed: tally.passed, judged: tally.judged, unit: 'cases' };
  if (tally.failed === 0) return { grade: 'pass', detail: `${tally.passed}/${tally.judged} cases${note}`, count };
  return { grade: 'fail', detail: `${tally.passed}/${tally.judged} cases${note}; failed: ${tally.failedIds.join(', ')}`, count };
}

function concurrencyGrade(c8: C8Raw | undefined, rows: readonly ReliabilityRow[], store: string): GradeCell {
  const levels = c8?.concurrency.stores.find((s) => s.store === store)?.levels;
  if (!levels || levels.length === 0) return { grade: 'not measured', detail: 'no concurrency measurement' };
  const top = levels[levels.length - 1]!;
  const races = rowsGrade(rows.filter((row) => row.id.startsWith('forced-')), store);
  const detail = `${top.passed}/${top.flows} flows at ${top.concurrency} at once; forced races: ${races.detail}`;
  const allPassed = top.passed === top.flows;
  const count = { passed: top.passed + (races.count?.passed ?? 0), judged: top.flows + (races.count?.judged ?? 0), unit: 'flows and races' };
  return { grade: allPassed && races.grade !== 'fail' ? 'pass' : 'fail', detail, count };
}

function ttlGrade(ttl: TtlResult | undefined, store: string): GradeCell {
  if (!ttl) return { grade: 'not measured', detail: 'no TTL measurement' };
  const judged = judgeTtlColumn(ttl.stores.find((s) => s.store === store), ttl);
  return { grade: judged.grade, detail: judged.detail, ...(judged.judged ? { count: { passed: judged.passed, judged: judged.judged, unit: 'probes' } } : {}) };
}

const raw = <T>(document: GradingInput, id: string): T | undefined => document.measurements.find((m) => m.id === id && !m.error)?.raw as T | undefined;

const POINTS: Record<Exclude<Grade, 'n/a'>, number> = { pass: 1, conditional: 0.5, fail: 0, 'not measured': 0 };

/** Points over the columns that apply to the store: an n/a column is in neither number (a pass cannot come from it, nor a penalty). */
export function score(grade: StoreGrade, columns: readonly GradeColumn[]): { points: number; of: number } {
  const applicable = columns.map((column) => grade.columns[column].grade).filter((g): g is Exclude<Grade, 'n/a'> => g !== 'n/a');
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

function because(grade: StoreGrade | undefined, columns: readonly GradeColumn[], among: readonly StoreGrade[]): string {
  if (!grade) return 'no store was graded';
  const fails = columns.filter((c) => grade.columns[c].grade !== 'pass' && grade.columns[c].grade !== 'n/a');
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
  const c8 = raw<C8Raw>(document, 'c8-success-rate');
  const ttl = raw<TtlResult>(document, 'c6-ttl');
  const bench = raw<{ latency: StoreLatencyResult; flows?: FlowOverheadResult }>(document, 'store-bench');
  const latency = bench?.latency;
  const cell = (scenario: string, store: string) => document.cells.find((c) => c.scenario === scenario && c.store === store);
  // Flow overhead from its own measurement (many sequential flows against a baseline whose flows succeed), else the 5-flow cells.
  const flowP50 = (store: string) => (bench?.flows ? bench.flows.stores.find((s) => s.store === store)?.p50Ms : cell('single-process', store)?.latencyMs.p50);
  const baseline = flowP50('memory');
  // A measurement that could not apply to this target leaves its columns out, like a case that cannot apply.
  const skipped = (id: string) => document.measurements.find((m) => m.id === id && m.notApplicable)?.notApplicable;
  const unlessSkipped = (id: string, grade: () => GradeCell): GradeCell => {
    const why = skipped(id);
    return why ? { grade: 'n/a', detail: `not measured on this target: ${why}` } : grade();
  };

  const grades: StoreGrade[] = stores.map((store) => {
    const expected = cell('isolated', store)?.expected;
    const point = latency?.stores.find((s) => s.store === store)?.points.at(-1);
    const p50 = flowP50(store);
    return {
      store,
      needs: [...(profiles[store]?.needs ?? [])],
      dependencyCost: dependencyCostOf(document.target, store),
      columns: {
        'single-process': cellGrade(cell('single-process', store)),
        'split-process': cellGrade(cell('split-process', store)),
        isolated: cellGrade(cell('isolated', store), expected?.outcome === 'fail' ? expected.why : undefined),
        'callback-restart': cellGrade(cell('callback-restart', store)),
        concurrency: concurrencyGrade(c8, document.reliability, store),
        crash: unlessSkipped('store-faults', () => rowsGrade(document.reliability.filter((row) => row.group === 'fault' && !row.id.startsWith('forced-')), store)),
        TTL: ttlGrade(ttl, store),
        'hostile input': unlessSkipped('hostile-provider-security', () => rowsGrade(document.reliability.filter((row) => row.group === 'hostile-input'), store)),
        security: unlessSkipped('hostile-provider-security', () => rowsGrade(document.reliability.filter((row) => row.group === 'security'), store)),
      },
      cases: tallyCases(document.reliability, store),
      flowP50Ms: p50,
      flowRatio: p50 !== undefined && baseline ? p50 / baseline : undefined,
      getP50Us: point?.ops.get.p50Us,
      takeP50Us: point?.ops.take.p50Us,
      opSessions: point?.liveSessions,
    };
  });

  const oneHostColumns = GRADE_COLUMNS.filter((c) => !SEVERAL_HOST_COLUMNS.includes(c));
  // "One host" is what a store without a server can offer; memory is the bug itself.
  const serverless = grades.filter((g) => !profiles[g.store]?.needsRedis && g.store !== 'memory');
  const oneHost = rankStores(serverless, oneHostColumns)[0];
  const multiHost = grades.filter((g) => g.columns.isolated.grade === 'pass');
  const severalHosts = rankStores(multiHost, GRADE_COLUMNS)[0];
  // The default must work out of the box: no server and nothing to configure.
  const zeroConfig = grades.filter((g) => g.needs.length === 0 && g.store !== 'memory');
  const defaultPick = rankStores(zeroConfig, oneHostColumns)[0];
  const recommendations: Recommendation[] = [
    { scope: 'one host', store: oneHost?.store ?? null, why: because(oneHost, oneHostColumns, serverless) },
    { scope: 'several hosts', store: severalHosts?.store ?? null, why: because(severalHosts, GRADE_COLUMNS, multiHost) },
    {
      scope: 'default of the target',
      store: defaultPick?.store ?? null,
      why: `${because(defaultPick, oneHostColumns, zeroConfig)}; the target defaults to ${srcDefaultStore ?? '(not measured)'}${srcDefaultStore ? (srcDefaultStore === defaultPick?.store ? ', which agrees' : ', which DISAGREES') : ''}`,
    },
  ];
  return { stores: grades, recommendations };
}
