/**
 * The gate of one target's run: its verdicts against the target's verdict
 * baseline when it has one (every difference, better or worse, named on the
 * terminal and in the JUnit file); without one, scenario cells and rows
 * against the expectations computed from its stores' profiles, opened by a
 * diagnosis of its default store, whose failures a first run does not
 * pass as "expected". --update-baseline writes the run's verdicts first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TargetDescription } from '../deploy/target/target-description.ts';
import { BaselineFileError } from '../results/baseline-yaml.ts';
import { diagnose } from '../results/diagnosis.ts';
import { judgeGate, judgeRun, type GateCase, type GateVerdict } from '../results/gate-verdict.ts';
import type { ResultsDocument } from '../results/results-document.ts';
import { writeUpDesign, type RowExpectation } from '../results/row-expectations.ts';
import { remoteScenarioId } from '../results/remote-cases.ts';
import { compareWithBaseline, differenceLines, updatedBaseline, type RunScope, type VerdictBaseline } from '../results/verdict-baseline.ts';
import { baselinePathFor, readBaseline, writeBaseline } from './baseline-file.ts';
import type { ReproOptions } from './repro-options.ts';

export interface BaselineGate {
  cases: GateCase[];
  verdict: GateVerdict;
  expectations: RowExpectation[];
  /** Kept in results.json: which baseline, and how the run compared with it. */
  baseline?: { file: string; differences: number; notCompared: number; written?: boolean };
  /** Lines before and after the gate's line on the terminal. */
  before: string[];
  after: string[];
}

/** What this run covered of the battery, from its options and what actually ran. */
export function runScope(options: Pick<ReproOptions, 'scenarios' | 'stores' | 'scenariosOnly' | 'measurements' | 'noBrowser'>, document: ResultsDocument, scenarioNames: readonly string[]): RunScope {
  const measurementsRan = document.measurements.filter((record) => !record.error && !record.notApplicable).map((record) => record.id);
  const allMeasurementsRan = !options.scenariosOnly && !options.measurements && document.measurements.length > 0 && document.measurements.every((record) => !record.error);
  return {
    complete: !options.scenarios && !options.stores && !options.scenariosOnly && !options.measurements && !options.noBrowser && document.skipped.length === 0 && allMeasurementsRan,
    scenarios: scenarioNames.filter((name) => !options.scenarios || options.scenarios.includes(name)),
    stores: [...new Set([...document.cells, ...(document.remoteCells ?? [])].map((cell) => cell.store))],
    measurementsRan,
    allMeasurementsRan,
  };
}

const relative = (file: string) => path.relative(process.cwd(), file) || file;

export async function judgeAgainstBaseline(
  options: ReproOptions,
  target: Pick<TargetDescription, 'name' | 'source' | 'stores' | 'defaultStore'>,
  document: ResultsDocument,
  scenarioNames: readonly string[],
  tooManyIncidents: boolean,
  progress: (message: string) => void,
): Promise<BaselineGate | 'usage'> {
  const run: VerdictBaseline['run'] = options.full ? 'bench' : 'quick';
  const file = baselinePathFor(target.source.file, run);
  const scope = runScope(options, document, scenarioNames);
  let baseline: VerdictBaseline | undefined;
  try {
    baseline = readBaseline(file);
  } catch (error) {
    if (!(error instanceof BaselineFileError)) throw error;
    progress(`repro: ${error.message} (fix it, or delete it and run with --update-baseline)`);
    return 'usage';
  }
  const before: string[] = [];
  let written = false;
  if (options.updateBaseline) {
    if (tooManyIncidents) before.push(`Baseline NOT written: the run had more harness errors than --max-harness-errors allows, and its holes would read as the target's.`);
    else {
      baseline = updatedBaseline(baseline, document, run, scope, (section, id, store) => {
        if (section === 'scenarios' && id.startsWith(remoteScenarioId(''))) {
          const expected = document.remoteCells?.find((cell) => remoteScenarioId(cell.scenario) === id && cell.store === store && cell.matched === true)?.expected;
          return expected?.outcome === 'fail' ? expected.why : undefined;
        }
        if (section === 'scenarios') {
          const expected = document.cells.find((cell) => cell.scenario === id && cell.store === store && cell.matched === true)?.expected;
          return (expected?.outcome === 'fail' ? expected.why : undefined) ?? writeUpDesign(store, target.stores[store]);
        }
        return writeUpDesign(store, target.stores[store]);
      });
      await writeBaseline(file, baseline);
      written = true;
      before.push(`Baseline written: ${relative(file)}${scope.complete ? '' : ' (only what this filtered run covered was replaced)'}; review its diff before committing it.`);
    }
  }

  if (baseline) {
    const { cases, notCompared: outside } = compareWithBaseline(baseline, document, scope);
    const verdict = judgeGate(cases, options.failOn);
    const differences = differenceLines(cases.filter((c) => options.failOn.includes(c.gateGroup)));
    const notCompared = outside.length;
    const after = differences.length
      ? [`${differences.length} difference(s) from ${relative(file)} (accept them with --update-baseline once they are right):`, ...differences.slice(0, 60), ...(differences.length > 60 ? [`  … and ${differences.length - 60} more (results.json, the JUnit file)`] : [])]
      : [`Every verdict as in ${relative(file)}${notCompared ? ` (${notCompared} entries not compared: this run did not cover them)` : ''}.`];
    return { cases, verdict, expectations: [], baseline: { file: relative(file), differences: differences.length, notCompared, ...(written ? { written } : {}) }, before, after };
  }

  // No baseline for this kind of run. A target that has the other kind's (the bench without its own, say) is not new: its
  // verdicts are judged against the profiles' expectations as before, and the file to write is named.
  const judged = judgeRun(document, target.stores, options.failOn);
  const other = baselinePathFor(target.source.file, run === 'bench' ? 'quick' : 'bench');
  if (existsSync(other)) {
    return {
      ...judged,
      before,
      after: [`No ${run} baseline for ${target.name} yet (${relative(file)}; ${relative(other)} is the other run's, whose verdicts may differ): judged against the stores' expectations; --update-baseline writes one.`],
    };
  }
  // A target's first run: the default store judged on what it did, not on what its profile excuses.
  const diagnosis = diagnose(document.cells, target.defaultStore);
  const cases = judged.cases.map((c) => {
    const cell = document.cells.find((cell) => cell.scenario === c.id && cell.store === c.store);
    if (c.kind !== 'scenario' || c.store !== diagnosis?.store || !cell?.observed || cell.observed.outcome === 'pass' || c.status !== 'pass') return c;
    return { ...c, status: 'fail' as const, evidence: `no baseline yet: the target's default store failed here (${c.evidence.split('\n')[0]}); if that is what you ship, accept it with --update-baseline\n${c.evidence}` };
  });
  const verdict = judgeGate(cases, options.failOn);
  const diagnosisLines = diagnosis
    ? [`Diagnosis (no baseline yet, ${relative(file)}): ${diagnosis.line}`, ...diagnosis.failures.map((line) => `  ${line}`)]
    : [];
  return {
    cases,
    verdict,
    expectations: judged.expectations,
    before: [...before, ...diagnosisLines],
    after: [`No baseline for ${target.name} yet: run with --update-baseline to accept these verdicts as its baseline, then commit ${relative(file)}.`],
  };
}
