/**
 * The server scenarios of the official MCP conformance suite, run against
 * an MCP endpoint (Streamable HTTP: one server, or a balancer in front of
 * replicas), each scenario's outcome returned as data.
 *
 * The suite runs as a child of the harness (through the one spawning
 * module, so it never outlives it), on the Node 22 that came with it
 * (conformance-install.ts). All scenarios run in one process (the suite's
 * own `--suite all`, about a second against a local server); a chosen few
 * run one process each, since the suite takes one scenario or a whole
 * suite. A deadline bounds the whole run: a scenario the deadline cut
 * short, or never reached, comes back as an error that says so, beside
 * the outcomes of those that finished.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exitStatus } from '../../process/child-process.ts';
import type { ConformanceSuite } from './conformance-install.ts';
import { judgeScenario, parseServerScenarioList, scenarioOfResultFolder, startedScenarios, type ConformanceResult, type ScenarioResult } from './conformance-results.ts';
import { runToEnd, type RunToEnd } from './run-to-end.ts';

export type { ConformanceResult, ScenarioResult } from './conformance-results.ts';

/** Far above a run against a local server (about a second for all scenarios); a scenario whose request hangs waits for the client's 60 s timeout. */
const DEFAULT_TIMEOUT_MS = 120_000;
const LIST_TIMEOUT_MS = 30_000;

export interface RunConformanceOptions {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  suite: Pick<ConformanceSuite, 'node' | 'bin' | 'version'>;
  /** Default: every server scenario the suite lists, in its order. */
  scenarios?: readonly string[];
  /** For the whole run; default 120 s. */
  timeoutMs?: number;
  /** The run gets a folder of its own in it (conformance-XXXXXX): process logs and the suite's results. */
  logDir: string;
}

export type ConformanceRunErrorCode = 'conformance_bad_url' | 'conformance_unknown_scenario' | 'conformance_list_failed';

export class ConformanceRunError extends Error {
  override name = 'ConformanceRunError';
  constructor(
    readonly code: ConformanceRunErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The server scenarios this suite has, in its order (`conformance list --server`). */
export async function listServerScenarios(suite: Pick<ConformanceSuite, 'node' | 'bin'>, logDir: string): Promise<string[]> {
  const run = await runToEnd({ name: 'conformance-list', command: suite.node, args: [suite.bin, 'list', '--server'], env: {}, logDir }, LIST_TIMEOUT_MS);
  const names = parseServerScenarioList(run.stdout);
  if (run.exit.code === 0 && names.length > 0) return names;
  const why = run.timedOut ? `did not finish within ${LIST_TIMEOUT_MS / 1000} s` : run.exit.code !== 0 ? `exited with ${exitStatus(run.exit)}` : 'listed no server scenario';
  throw new ConformanceRunError('conformance_list_failed', `\`conformance list --server\` ${why} (log: ${run.child.logPath})\n${run.child.tails(8)}`);
}

const listed = new Map<string, Promise<string[]>>();

/** The list once per installed suite in this process: every cell of a run asks for it, and it does not change. A failed listing is asked again next time. */
function knownScenarios(suite: Pick<ConformanceSuite, 'node' | 'bin'>, logDir: string): Promise<string[]> {
  const key = `${suite.node}\0${suite.bin}`;
  let list = listed.get(key);
  if (!list) {
    list = listServerScenarios(suite, logDir);
    listed.set(key, list);
    list.catch(() => listed.delete(key));
  }
  return list;
}

export async function runConformanceServerScenarios(options: RunConformanceOptions): Promise<ConformanceResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  checkUrl(options.url);
  mkdirSync(options.logDir, { recursive: true });
  const runDir = mkdtempSync(path.join(options.logDir, 'conformance-'));
  const resultsDir = path.join(runDir, 'results');
  const known = await knownScenarios(options.suite, runDir);
  const asked = options.scenarios === undefined ? known : [...new Set(options.scenarios)];
  const unknown = asked.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConformanceRunError('conformance_unknown_scenario', `the conformance suite ${options.suite.version} has no server scenario ${unknown.map((n) => JSON.stringify(n)).join(', ')}; it has: ${known.join(', ')}`);
  }
  const runs: SuiteRun[] = [];
  const serverArgs = (...scenario: string[]) => [options.suite.bin, 'server', '--url', options.url, ...scenario, '--output-dir', resultsDir];
  if (options.scenarios === undefined) {
    runs.push({ asked, run: await runSuite(options, 'conformance-server', serverArgs('--suite', 'all'), runDir, deadline) });
  } else {
    for (const name of asked) {
      if (Date.now() >= deadline) break;
      runs.push({ asked: [name], run: await runSuite(options, `conformance-server-${name}`, serverArgs('--scenario', name), runDir, deadline) });
    }
  }
  const results = readResults(resultsDir);
  const scenarios = asked.map((name) => {
    const checks = results.get(name);
    return checks === undefined ? unjudged(name, runs, options.timeoutMs ?? DEFAULT_TIMEOUT_MS) : judgeScenario(name, checks);
  });
  return { version: options.suite.version, url: options.url, scenarios, durationMs: Date.now() - started, runDir };
}

interface SuiteRun {
  /** The scenarios this process was to run. */
  asked: readonly string[];
  run: RunToEnd;
}

function runSuite(options: RunConformanceOptions, name: string, args: string[], runDir: string, deadline: number): Promise<RunToEnd> {
  return runToEnd({ name, command: options.suite.node, args, env: {}, logDir: runDir }, Math.max(1, deadline - Date.now()));
}

/** The suite refuses a URL it cannot parse with one line for the whole run: a caller's mistake, said before anything starts. */
function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConformanceRunError('conformance_bad_url', `not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConformanceRunError('conformance_bad_url', `not an HTTP URL: ${url}`);
}

/** Scenario → the text of its checks.json; the newest when a scenario ran twice into one folder. */
function readResults(resultsDir: string): Map<string, string> {
  const results = new Map<string, string>();
  if (!existsSync(resultsDir)) return results;
  for (const folder of readdirSync(resultsDir).sort()) {
    const scenario = scenarioOfResultFolder(folder);
    const file = path.join(resultsDir, folder, 'checks.json');
    if (scenario !== undefined && existsSync(file)) results.set(scenario, readFileSync(file, 'utf8'));
  }
  return results;
}

/** Why a scenario has no result: cut short by the deadline, never reached, or the suite wrote none (its stderr says why). */
function unjudged(name: string, runs: readonly SuiteRun[], timeoutMs: number): ScenarioResult {
  const mine = runs.find((r) => r.asked.includes(name));
  if (!mine) return { name, outcome: 'error', detail: `not run: the run's ${timeoutMs} ms were spent before it` };
  const { run } = mine;
  const startedHere = startedScenarios(run.stdout);
  // A process of its own that the deadline stopped was running it, even if it had not yet said so.
  const wasRunning = startedHere.at(-1) === name || mine.asked.length === 1;
  const reached = startedHere.includes(name);
  if (run.timedOut) {
    return { name, outcome: 'error', detail: wasRunning ? `timed out: still running when the run's ${timeoutMs} ms were spent` : `not run: the run's ${timeoutMs} ms were spent before it` };
  }
  if (!reached) return { name, outcome: 'error', detail: `not run: the suite exited (${exitStatus(run.exit)}) before it; log: ${run.child.logPath}${stderrTail(run)}` };
  return { name, outcome: 'error', detail: `the suite wrote no result for it (${exitStatus(run.exit)}); log: ${run.child.logPath}${stderrTail(run)}` };
}

function stderrTail(run: RunToEnd): string {
  const lines = run.stderr.slice(-5);
  return lines.length === 0 ? '' : `; stderr: ${lines.join(' | ')}`;
}
