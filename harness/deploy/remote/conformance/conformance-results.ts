/**
 * The conformance suite's output, read as data. Its machine-readable output
 * is the results folder (`--output-dir`): one `server-<scenario>-<time>/`
 * folder per scenario with `checks.json`, the list of checks the scenario
 * made, each SUCCESS, FAILURE, WARNING or INFO. Its stdout is for people
 * (coloured, `--verbose` mixes JSON with prose); only two kinds of its
 * lines are read here: the scenario list of `list --server`, and the line
 * each scenario starts with, which says which one was running when a run
 * was stopped.
 *
 * A scenario passes as the suite's own summary counts it: no FAILURE, and
 * at least one SUCCESS (a scenario that checked nothing proved nothing).
 * WARNINGs (SHOULDs not met) do not fail it; they are in its detail.
 */
import { z } from 'zod';

export type ScenarioOutcome = 'pass' | 'fail' | 'error';

export interface ScenarioResult {
  name: string;
  /** pass/fail: the suite's judgement; error: the suite gave none (stopped, crashed, wrote no result). */
  outcome: ScenarioOutcome;
  /** Why it failed or errored, or the warnings of a pass. */
  detail?: string;
  /** How its checks came out, when it has a result. */
  checks?: CheckCounts;
}

export interface CheckCounts {
  succeeded: number;
  failed: number;
  warnings: number;
}

export interface ConformanceResult {
  /** The suite's version. */
  version: string;
  /** The MCP endpoint the scenarios ran against. */
  url: string;
  /** In the order asked (by default, the suite's own order). */
  scenarios: ScenarioResult[];
  durationMs: number;
  /** The run's folder: the suite's process log(s) and its results folder, for reading afterwards. */
  runDir?: string;
}

const check = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  status: z.string(),
  errorMessage: z.string().optional(),
});
const checksFile = z.array(check);
type Check = z.infer<typeof check>;

/** The scenarios under "Server scenarios" in the output of `conformance list --server`: `  - tools-list [2025-06-18,2025-11-25]`. */
export function parseServerScenarioList(stdout: readonly string[]): string[] {
  const names: string[] = [];
  let inServerSection = false;
  for (const line of stdout) {
    if (/^Server scenarios/.test(line)) inServerSection = true;
    else if (/^\S/.test(line)) inServerSection = false;
    else if (inServerSection) {
      const match = /^\s+-\s+(\S+)/.exec(line);
      if (match) names.push(match[1]!);
    }
  }
  return names;
}

/** The suite names each result folder `server-<scenario>-<ISO time with ':' and '.' made '-'>`. */
const RESULT_FOLDER = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

export function scenarioOfResultFolder(folder: string): string | undefined {
  return RESULT_FOLDER.exec(folder)?.[1];
}

/** "Running client scenario 'ping' against server: http://…", said as each scenario starts (in suite and single-scenario runs alike). */
const SCENARIO_START = /^Running client scenario '([^']+)' against server: /;

/** The scenarios a run started, in order. */
export function startedScenarios(stdout: readonly string[]): string[] {
  return stdout.flatMap((line) => {
    const match = SCENARIO_START.exec(line);
    return match ? [match[1]!] : [];
  });
}

/** One scenario judged from the text of its checks.json. */
export function judgeScenario(name: string, checksJson: string): ScenarioResult {
  let checks: Check[];
  try {
    checks = checksFile.parse(JSON.parse(checksJson));
  } catch (error) {
    const why = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).slice(0, 3).join('; ') : (error as Error).message;
    return { name, outcome: 'error', detail: `its checks.json is not a list of checks as the suite writes them (${why})` };
  }
  const failed = checks.filter((c) => c.status === 'FAILURE');
  const warnings = checks.filter((c) => c.status === 'WARNING');
  const counts: CheckCounts = { succeeded: checks.filter((c) => c.status === 'SUCCESS').length, failed: failed.length, warnings: warnings.length };
  const warned = warnings.length > 0 ? `${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.map(said).join('; ')}` : undefined;
  if (failed.length > 0) return { name, outcome: 'fail', detail: [failed.map(said).join('; '), warned].filter(Boolean).join('; '), checks: counts };
  if (counts.succeeded === 0) return { name, outcome: 'fail', detail: [`no check succeeded (${checks.length} made)`, warned].filter(Boolean).join('; '), checks: counts };
  return { name, outcome: 'pass', ...(warned ? { detail: warned } : {}), checks: counts };
}

const SAID_CHARS = 300;

/** "Ping: Failed: fetch failed": a check's name and what it said went wrong. */
function said(c: Check): string {
  const text = `${c.name}: ${c.errorMessage ?? c.description ?? c.status}`;
  return text.length > SAID_CHARS ? `${text.slice(0, SAID_CHARS)}…` : text;
}
