/** Parses and validates the options of `npm run repro`. */
import { parseArgs } from 'node:util';
import { GATE_GROUPS, type GateGroup } from '../results/row-expectations.ts';
import { COMMAND_NAME, FROM_PACKAGE } from '../core/package-layout.ts';

const DEFAULT_TARGET_SAID = FROM_PACKAGE ? './repro.target.ts, which oauth-state-repro init writes' : 'src/repro.target.ts';
const RUNS_SAID = FROM_PACKAGE ? './oauth-state-repro/' : 'runs/';

export const USAGE = `Usage: ${COMMAND_NAME} [options]${FROM_PACKAGE ? `
       oauth-state-repro init [DIR]   write a first repro.target.ts for the server in DIR (default .)` : ''}

Reproduces the cross-process OAuth state bug through real processes, checks
each scenario × session store against its expected outcome, prints a summary,
and writes ${RUNS_SAID}<timestamp>/results.json and REPORT.md.

Options:
  --target PATH     the server to diagnose, described by a target file
                    (repeatable; default: ${DEFAULT_TARGET_SAID}). See README,
                    "Diagnose your own server".
  --scenario NAME   run only this scenario (repeatable)
  --store NAME      run only this store (repeatable)
  --flows N         flows per scenario × store (default: each scenario's own)
  --parallel N      scenario × store cells run at once (default 4)
  --scenarios-only  skip the measurements after the table (claims, faults,
                    hostile input, store grading); implied by --scenario
                    unless --measurement is given
  --measurement ID  run only this measurement after the table (repeatable;
                    ids below), e.g. the 10,000-flow load bench (C8's
                    success rates and the throughput against the ceiling)
                    alone: npm run bench -- --measurement c8-success-rate
                    --scenario split-process
  --full            the long versions of the measurements (what \`npm run bench\`
                    runs: minutes); the report stays in the run folder
  --browser         play the user of every scenario flow in a real headless
                    Chromium (Debian's chromium package), through the provider's
                    consent page; the browser rows (screenshots, injected script,
                    callback page headers) run even with --scenarios-only
  --no-conformance  leave out the MCP conformance suite's server scenarios
                    that run through the balancer of each remote scenario
                    (the suite is installed once into the cache, from the
                    npm registry, with the Node 22 it needs)
  --no-browser      leave the browser rows out (they run by default when
                    chromium is installed, and say "chromium not installed"
                    in one line when it is not)
  --json            print the results document on stdout (progress stays on stderr)
  --fail-on GROUPS  which differences decide exit code 1: scenarios, claims,
                    security (security and hostile-input rows), reliability
                    (faults and provider faults), grading (grade cells and
                    recommendations), or all (default); repeatable or
                    comma-separated. Against the target's verdict baseline
                    (beside its target file) every verdict is compared;
                    without one, scenario cells and rows are judged against
                    the expectations computed from the stores' profiles
  --update-baseline write this run's verdicts as the target's baseline
                    (<target file>.baseline.yaml; --full: .bench.baseline.yaml):
                    a filtered run replaces only what it covered, and an
                    accepted failure keeps its reason while its outcome holds
  --junit FILE      also write JUnit XML: one test per scenario × store, per
                    claim, and per security/reliability row × store that has
                    an expectation
  --out DIR         where run folders and the harness's caches go (default
                    ${RUNS_SAID}; the same as OAUTH_REPRO_RUNS_DIR)
  --keep            keep the run's temporary folders (each simulated host's
                    /tmp and HOME, the store-fault fixtures) for debugging;
                    by default they are removed when the run ends
  --keep-runs N     run folders kept under runs/ (default 10, or
                    OAUTH_REPRO_KEEP_RUNS); older ones are removed at the
                    start of a run
  --max-harness-errors N
                    harness errors (a process that would not start after its
                    retries, a measurement that crashed) a run may have and
                    still write REPORT.md (default 0); past it the run exits
                    2 with the list and leaves REPORT.md as it was
  --help            this text

OAUTH_REPRO_RUNS_DIR moves runs/ and the harness's caches (compiled targets)
elsewhere, e.g. out of a read-only checkout. OAUTH_REPRO_LOG_CAP_BYTES caps
each process's log (default 8 MiB; what is past it is counted, not kept).

When GITHUB_STEP_SUMMARY is set, a markdown summary (verdict, scenario table,
claims) is appended to that file.

Measurement ids: topology-claims, store-bench, c8-success-rate, store-faults,
hostile-input, provider-faults, security, browser, c6-ttl, file-exposure,
src-default-store, remote-load, c6-remote-ttl, c5-remote-footprint. A
measurement whose needs the target does not meet (a store module, a status
tool, a Node runtime, chromium, a remote server) is n/a, with why.

Exit codes: 0 every case of the --fail-on groups met its expectation; 1 some
did not (or could not be judged): a scenario cell that did not match, or an
expected pass of a security or reliability row that failed; 2 the harness
itself failed (a process would not start, a measurement crashed, a folder
it writes on its own, runs or the compile cache, cannot be written); 64 bad
options, a bad --junit or GITHUB_STEP_SUMMARY path, or a bad target file.`;

export interface ReproOptions {
  /** Only these measurements (ids), when given. */
  measurements?: string[];
  targets?: string[];
  scenarios?: string[];
  stores?: string[];
  flows?: number;
  parallel: number;
  /** The long measurements (npm run bench). */
  full: boolean;
  /** Run the scenario table without the measurements that follow it. */
  scenariosOnly: boolean;
  json: boolean;
  /** Groups whose failed expectations make the exit code 1. */
  failOn: GateGroup[];
  /** Where run folders and caches go (sets OAUTH_REPRO_RUNS_DIR for the run and its children). */
  out?: string;
  /** Where to write JUnit XML, if anywhere. */
  junit?: string;
  /** Every scenario flow in Chromium (and the browser rows even with --scenarios-only). */
  browser: boolean;
  /** No browser rows. */
  noBrowser: boolean;
  /** Leave the conformance suite out of the remote scenarios. */
  noConformance: boolean;
  /** Keep temporary folders (hosts, fault fixtures) after the run. */
  keep: boolean;
  /** Write the run's verdicts as the target's baseline. */
  updateBaseline: boolean;
  /** Run folders kept under the runs root (older ones removed). */
  keepRuns: number;
  /** Harness errors tolerated before the run exits 2 and leaves REPORT.md alone. */
  maxHarnessErrors: number;
  help: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Run folders kept when neither --keep-runs nor OAUTH_REPRO_KEEP_RUNS says otherwise: a few runs to compare, not a disk's worth. */
export const DEFAULT_KEEP_RUNS = 10;

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 1_000_000) throw new UsageError(`--${name} expects a whole number from 0, got "${value}"`);
  return parsed;
}

function positiveInteger(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new UsageError(`--${name} expects a whole number from 1 to ${max}, got "${value}"`);
  }
  return parsed;
}

/** `known.stores` may be left out when the targets are not loaded yet: check the stores with checkStores then. */
export function parseReproOptions(
  argv: string[],
  known: { scenarios: string[]; stores?: string[]; measurements?: string[] },
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReproOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string', multiple: true },
        scenario: { type: 'string', multiple: true },
        store: { type: 'string', multiple: true },
        flows: { type: 'string' },
        parallel: { type: 'string' },
        json: { type: 'boolean', default: false },
        'fail-on': { type: 'string', multiple: true },
        junit: { type: 'string' },
        out: { type: 'string' },
        'scenarios-only': { type: 'boolean', default: false },
        measurement: { type: 'string', multiple: true },
        full: { type: 'boolean', default: false },
        browser: { type: 'boolean', default: false },
        'no-browser': { type: 'boolean', default: false },
        'no-conformance': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        'update-baseline': { type: 'boolean', default: false },
        'keep-runs': { type: 'string' },
        'max-harness-errors': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  for (const scenario of values.scenario ?? []) {
    if (!known.scenarios.includes(scenario)) throw new UsageError(`unknown --scenario "${scenario}"; known: ${known.scenarios.join(', ')}`);
  }
  if (known.stores) checkStores(values.store, known.stores);
  for (const id of values.measurement ?? []) {
    if (known.measurements && !known.measurements.includes(id)) throw new UsageError(`unknown --measurement "${id}"; known: ${known.measurements.join(', ')}`);
  }
  if (values.measurement && values['scenarios-only']) throw new UsageError('--measurement and --scenarios-only ask for opposite things: choose one');
  if (values.browser && values['no-browser']) throw new UsageError('--browser and --no-browser ask for opposite things: choose one');
  return {
    targets: values.target,
    scenarios: values.scenario,
    stores: values.store,
    flows: positiveInteger('flows', values.flows, 100_000),
    parallel: positiveInteger('parallel', values.parallel, 64) ?? 4,
    scenariosOnly: (values['scenarios-only'] ?? false) || (values.scenario !== undefined && values.measurement === undefined),
    ...(values.measurement ? { measurements: values.measurement } : {}),
    full: values.full ?? false,
    json: values.json ?? false,
    failOn: parseFailOn(values['fail-on']),
    browser: values.browser ?? false,
    noBrowser: values['no-browser'] ?? false,
    noConformance: values['no-conformance'] ?? false,
    keep: values.keep ?? false,
    updateBaseline: values['update-baseline'] ?? false,
    keepRuns: positiveInteger('keep-runs', values['keep-runs'] ?? env.OAUTH_REPRO_KEEP_RUNS, 10_000) ?? DEFAULT_KEEP_RUNS,
    maxHarnessErrors: wholeNumber('max-harness-errors', values['max-harness-errors']) ?? 0,
    ...(values.junit !== undefined ? { junit: nonEmpty('junit', values.junit) } : {}),
    ...(values.out !== undefined ? { out: nonEmpty('out', values.out) } : {}),
    help: values.help ?? false,
  };
}

export function checkStores(stores: readonly string[] | undefined, known: readonly string[]): void {
  for (const store of stores ?? []) {
    if (!known.includes(store)) throw new UsageError(`unknown --store "${store}"; known: ${known.join(', ')}`);
  }
}

/** `--fail-on security,reliability` or repeated; `all` is every group that has expectations. */
export function parseFailOn(values: readonly string[] | undefined): GateGroup[] {
  if (!values || values.length === 0) return [...GATE_GROUPS];
  const asked = values.flatMap((value) => value.split(',')).map((value) => value.trim());
  const chosen = new Set<GateGroup>();
  for (const group of asked) {
    if (group === 'all') GATE_GROUPS.forEach((g) => chosen.add(g));
    else if ((GATE_GROUPS as readonly string[]).includes(group)) chosen.add(group as GateGroup);
    else throw new UsageError(`--fail-on expects ${[...GATE_GROUPS, 'all'].join(', ')} (comma-separated or repeated), got "${group}"`);
  }
  return GATE_GROUPS.filter((g) => chosen.has(g));
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`--${name} expects a file path, got ""`);
  return value;
}
