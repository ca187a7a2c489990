/**
 * harness/grading/: every store graded from the run's cells and measurements; the recommendations.
 *
 * "Which fix to ship": every store graded on the same battery, from this
 * run's results only, and a recommendation computed from the grades. Pure:
 * results document in, grades out.
 */
import type { StoreLatencyResult } from '../measurements/store-bench/store-latency.ts';
import { claimC6 } from '../measurements/ttl-clock/claim-c6.ts';
import type { TtlResult } from '../measurements/ttl-clock/ttl-result.ts';
import type { C8Raw } from '../measurements/concurrency/c8-measurement.ts';
import type { ReliabilityRow } from '../measurements/measure-context.ts';
import type { CellResult } from '../core/cell-result.ts';
import type { StoreProfile } from '../core/store-profile.ts';
import type { MeasurementRecord } from '../measurements/measurement.ts';

/** What grading reads of a run: its cells, reliability rows and measurements (the results document is one). */
export interface GradingInput {
  cells: readonly CellResult[];
  reliability: readonly ReliabilityRow[];
  measurements: readonly MeasurementRecord[];
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

export type Grade = 'pass' | 'conditional' | 'fail' | 'not measured';

export interface GradeCell {
  grade: Grade;
  detail: string;
}

export interface StoreGrade {
  store: string;
  /** What the store needs beyond the process: a server, a shared key. */
  needs: string[];
  columns: Record<GradeColumn, GradeCell>;
  /** Flow p50 in single-process (the topology where memory works too), and its ratio to memory's there. */
  flowP50Ms?: number;
  flowRatio?: number;
  /** Per-operation p50 (µs) at the largest live-session count the run measured. */
  getP50Us?: number;
  takeP50Us?: number;
  opSessions?: number;
}

export interface Recommendation {
  scope: 'one host' | 'several hosts' | 'default of src/';
  store: string | null;
  why: string;
}

export interface StoreGrading {
  stores: StoreGrade[];
  recommendations: Recommendation[];
}

const cellGrade = (cell: CellResult | undefined, expectedFailWhy?: string): GradeCell => {
  if (!cell || cell.harnessError) return { grade: 'not measured', detail: cell?.harnessError?.split('\n')[0] ?? 'not run' };
  const detail = `${cell.tokenHandoffs.ok}/${cell.flows} flows`;
  if (cell.flows > 0 && cell.tokenHandoffs.ok === cell.flows) return { grade: 'pass', detail };
  return { grade: 'fail', detail: expectedFailWhy ? `${detail}: ${expectedFailWhy}` : detail };
};

function rowsGrade(rows: readonly ReliabilityRow[], store: string): GradeCell {
  const judged = rows.filter((row) => row.perStore[store] && row.perStore[store]!.outcome !== 'unknown');
  if (judged.length === 0) return { grade: 'not measured', detail: 'no case applies' };
  const failed = judged.filter((row) => row.perStore[store]!.outcome === 'fail').map((row) => row.id);
  if (failed.length === 0) return { grade: 'pass', detail: `${judged.length}/${judged.length} cases` };
  return { grade: 'fail', detail: `${judged.length - failed.length}/${judged.length} cases; failed: ${failed.join(', ')}` };
}

function concurrencyGrade(c8: C8Raw | undefined, rows: readonly ReliabilityRow[], store: string): GradeCell {
  const levels = c8?.concurrency.stores.find((s) => s.store === store)?.levels;
  if (!levels || levels.length === 0) return { grade: 'not measured', detail: 'no concurrency measurement' };
  const top = levels[levels.length - 1]!;
  const races = rowsGrade(rows.filter((row) => row.id.startsWith('forced-')), store);
  const detail = `${top.passed}/${top.flows} flows at ${top.concurrency} at once; forced races: ${races.detail}`;
  const allPassed = top.passed === top.flows;
  return { grade: allPassed && races.grade !== 'fail' ? 'pass' : 'fail', detail };
}

function ttlGrade(ttl: TtlResult | undefined, store: string): GradeCell {
  if (!ttl) return { grade: 'not measured', detail: 'no TTL measurement' };
  const row = claimC6(ttl, store);
  const detail = row.conditions ?? row.figure.split(';')[0] ?? '';
  if (row.verdict === 'holds') return { grade: 'pass', detail: 'boundary at 15:00, skew and future stamps handled' };
  if (row.verdict === 'holds only under stated conditions') return { grade: 'conditional', detail };
  if (row.verdict === 'does not hold') return { grade: 'fail', detail };
  return { grade: 'not measured', detail };
}

const raw = <T>(document: GradingInput, id: string): T | undefined => document.measurements.find((m) => m.id === id && !m.error)?.raw as T | undefined;

const POINTS: Record<Grade, number> = { pass: 1, conditional: 0.5, fail: 0, 'not measured': 0 };

export function score(grade: StoreGrade, columns: readonly GradeColumn[]): number {
  return columns.reduce((sum, column) => sum + POINTS[grade.columns[column].grade], 0);
}

/**
 * Higher score first; then the faster take (the callback's lookup) at the
 * most live sessions measured, then get; the flow p50 last, because five
 * flows on a shared machine are too few to separate stores whose take
 * differs by orders of magnitude.
 */
function best(grades: readonly StoreGrade[], columns: readonly GradeColumn[]): StoreGrade | undefined {
  return [...grades].sort(
    (a, b) =>
      score(b, columns) - score(a, columns) ||
      (a.takeP50Us ?? Infinity) - (b.takeP50Us ?? Infinity) ||
      (a.getP50Us ?? Infinity) - (b.getP50Us ?? Infinity) ||
      (a.flowRatio ?? Infinity) - (b.flowRatio ?? Infinity),
  )[0];
}

function because(grade: StoreGrade | undefined, columns: readonly GradeColumn[], among: readonly StoreGrade[]): string {
  if (!grade) return 'no store was graded';
  const fails = columns.filter((c) => grade.columns[c].grade !== 'pass');
  const take = grade.takeP50Us === undefined ? 'take not measured' : `take p50 ${grade.takeP50Us} µs at ${grade.opSessions?.toLocaleString('en-US')} live sessions`;
  const ratio = grade.flowRatio === undefined ? 'flow overhead not measured' : `flow p50 ×${grade.flowRatio.toFixed(2)} memory's`;
  return `${score(grade, columns)}/${columns.length} columns (best of ${among.map((g) => `${g.store} ${score(g, columns)}`).join(', ')})${fails.length ? `; short of pass on ${fails.join(', ')}` : ''}; ${take}; ${ratio}`;
}

export function gradeStores(document: GradingInput, profiles: Readonly<Record<string, StoreProfile>>, srcDefaultStore?: string): StoreGrading {
  const stores = [...new Set(document.cells.map((c) => c.store))];
  const c8 = raw<C8Raw>(document, 'c8-success-rate');
  const ttl = raw<TtlResult>(document, 'c6-ttl');
  const latency = raw<{ latency: StoreLatencyResult }>(document, 'store-bench')?.latency;
  const cell = (scenario: string, store: string) => document.cells.find((c) => c.scenario === scenario && c.store === store);
  const flowP50 = (store: string) => cell('single-process', store)?.latencyMs.p50;
  const baseline = cell('single-process', 'memory')?.latencyMs.p50;

  const grades: StoreGrade[] = stores.map((store) => {
    const expected = cell('isolated', store)?.expected;
    const point = latency?.stores.find((s) => s.store === store)?.points.at(-1);
    const p50 = flowP50(store);
    return {
      store,
      needs: [...(profiles[store]?.needs ?? [])],
      columns: {
        'single-process': cellGrade(cell('single-process', store)),
        'split-process': cellGrade(cell('split-process', store)),
        isolated: cellGrade(cell('isolated', store), expected?.outcome === 'fail' ? expected.why : undefined),
        'callback-restart': cellGrade(cell('callback-restart', store)),
        concurrency: concurrencyGrade(c8, document.reliability, store),
        crash: rowsGrade(document.reliability.filter((row) => row.group === 'fault' && !row.id.startsWith('forced-')), store),
        TTL: ttlGrade(ttl, store),
        'hostile input': rowsGrade(document.reliability.filter((row) => row.group === 'hostile-input'), store),
        security: rowsGrade(document.reliability.filter((row) => row.group === 'security'), store),
      },
      flowP50Ms: p50,
      flowRatio: p50 !== undefined && baseline ? p50 / baseline : undefined,
      getP50Us: point?.ops.get.p50Us,
      takeP50Us: point?.ops.take.p50Us,
      opSessions: point?.liveSessions,
    };
  });

  const oneHostColumns = GRADE_COLUMNS.filter((c) => !SEVERAL_HOST_COLUMNS.includes(c));
  // "One host" is what a store without a server can offer; memory is the bug itself.
  const serverless = grades.filter((g) => !g.needs.some((need) => need.includes('server')) && g.store !== 'memory');
  const oneHost = best(serverless, oneHostColumns);
  const severalHosts = best(grades.filter((g) => g.columns.isolated.grade === 'pass'), GRADE_COLUMNS);
  // The default must work out of the box: no server and nothing to configure.
  const zeroConfig = grades.filter((g) => g.needs.length === 0 && g.store !== 'memory');
  const defaultPick = best(zeroConfig, oneHostColumns);
  const recommendations: Recommendation[] = [
    { scope: 'one host', store: oneHost?.store ?? null, why: because(oneHost, oneHostColumns, serverless) },
    { scope: 'several hosts', store: severalHosts?.store ?? null, why: because(severalHosts, GRADE_COLUMNS, grades.filter((g) => g.columns.isolated.grade === 'pass')) },
    {
      scope: 'default of src/',
      store: defaultPick?.store ?? null,
      why: `${because(defaultPick, oneHostColumns, zeroConfig)}; src/ defaults to ${srcDefaultStore ?? '(not measured)'}${srcDefaultStore ? (srcDefaultStore === defaultPick?.store ? ', which agrees' : ', which DISAGREES') : ''}`,
    },
  ];
  return { stores: grades, recommendations };
}
