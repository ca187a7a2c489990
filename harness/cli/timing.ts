/**
 * `npm run timing`: how long the commands a user runs take on this machine,
 * as medians (and min–max) of repeated runs, and where a scenario × store
 * cell's time goes (from the `timings` each cell records in results.json).
 *
 *   npm run timing -- [--runs N] [--default] [--test] [--parallel N]
 *
 * Always: `npm run repro -- --scenarios-only` (the scenario table), N times.
 * --default: also the default run's work (table + every measurement). It is
 *   run as `npm run repro -- --store S...` naming every store, so it does the
 *   same work without rewriting the committed REPORT.md.
 * --test: also `npm test` (the whole gate) and `npm run test:unit` (its unit project alone).
 * After the runs: the scenario table's floor on this machine (the processes
 * its last run started × what each costs to become ready when started alone,
 * over the cores; process-start-cost.ts).
 * Wall time is measured around the child command, like /usr/bin/time's
 * "elapsed" (npm and tsx start-up included). CPU time (user + system of the
 * command and every process it started and waited for, like /usr/bin/time's
 * user + sys) is shown beside it: on a machine shared with other work, wall
 * time moves with their load and CPU time much less, so a before/after
 * comparison reads better in CPU seconds.
 */
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../core/run-folder.ts';
import { median } from '../core/checkers/percentile.ts';
import type { CellResult } from '../core/cell-result.ts';
import { DEFAULT_TARGET_FILE } from '../deploy/target/default-target-file.ts';
import { loadTarget } from '../deploy/target/load-target.ts';
import { seconds } from '../report/format.ts';
import { countProcessKindsOfRun, measureStartCost, procStatFields, type ProcessKind } from './process-start-cost.ts';

interface Timed {
  wallMs: number;
  /** undefined where /proc is not there to read it. */
  cpuMs: number | undefined;
  code: number | null;
  cells: CellResult[];
}

/**
 * CPU time of this process's reaped children and their reaped descendants
 * (cutime + cstime of /proc/self/stat, in clock ticks of 10 ms on Linux).
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = procStatFields('self');
    // cutime (16) and cstime (17).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function runCommand(command: string, args: string[]): Promise<{ wallMs: number; cpuMs: number | undefined; code: number | null }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const cpuBefore = childrenCpuMs();
    // Output is not wanted here, only the time; stderr is kept for a failure.
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) process.stderr.write(`timing: ${command} ${args.join(' ')} exited ${code}\n${stderr}\n`);
      const cpuAfter = childrenCpuMs();
      resolve({ wallMs: performance.now() - began, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, code });
    });
  });
}

/** The newest run's folder and cells (runs/latest), or nothing when it cannot be read. */
function latestRun(): { dir: string; cells: CellResult[] } | undefined {
  try {
    const dir = realpathSync(path.join(PROJECT_ROOT, 'runs', 'latest'));
    return { dir, cells: (JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as { cells: CellResult[] }).cells };
  } catch {
    return undefined;
  }
}

const KIND_NAMES: Record<ProcessKind, string> = { tool: 'tool', callback: 'callback', both: 'single-process (both)' };

/**
 * The scenario table's floor on this machine: the processes its last run
 * started, each costing the CPU one of its kind needs to become ready when
 * started alone, over the cores. No flow, no contention, no harness: a table
 * that starts these processes cannot take less wall time than this.
 */
async function tableFloor(tableRunDir: string, cores: number): Promise<string[]> {
  const target = await loadTarget(DEFAULT_TARGET_FILE);
  const store = 'memory' in target.stores ? 'memory' : (target.defaultStore ?? Object.keys(target.stores)[0]!);
  const counts = countProcessKindsOfRun(tableRunDir);
  process.stderr.write(`timing: CPU of each kind of process to readiness, started alone (${store} store, 5 of each)…\n`);
  const cost = await measureStartCost(target, store, 5);
  const kinds = (Object.keys(counts) as ProcessKind[]).filter((kind) => counts[kind] > 0);
  const cpuMs = kinds.reduce((sum, kind) => sum + counts[kind] * median(cost[kind])!, 0);
  return [
    `The scenario table's floor on this machine: its last run (${path.basename(tableRunDir)}) started ${kinds.map((kind) => `${counts[kind]} ${KIND_NAMES[kind]}`).join(', ')} processes (preflight and browser rows included). ` +
      `Each started alone costs, until it is ready and before any flow (${store} store, median of ${cost.tool.length}): ${kinds.map((kind) => `${KIND_NAMES[kind]} ${spread(cost[kind], (ms) => `${Math.round(ms)} ms`)}`).join('; ')} of CPU. ` +
      `That is ${seconds(cpuMs)} of CPU before any flow, so at least ${seconds(cpuMs / cores)} of wall time on ${cores} cores, without the harness, the mock or a single flow.`,
  ];
}

function spread(values: number[], unit: (value: number) => string): string {
  if (values.length === 0) return '–';
  return `${unit(median(values)!)} (${unit(Math.min(...values))}–${unit(Math.max(...values))}, n=${values.length})`;
}

/** Per topology: median of each phase over every cell of every run. */
function cellBreakdown(cells: CellResult[]): string[] {
  const byTopology = new Map<string, CellResult[]>();
  for (const cell of cells) if (cell.timings) byTopology.set(cell.scenario, [...(byTopology.get(cell.scenario) ?? []), cell]);
  const phases = ['registerMs', 'callbackReadyMs', 'toolInitializeMs', 'redirectUriMs'];
  const msOf = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length ? String(Math.round(median(known)!)) : '–';
  };
  const lines = ['| scenario | cells | whole cell | start | of which: register | callback ready | tool initialize | redirect URI | flows | stop |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const [scenario, group] of byTopology) {
    const t = group.map((c) => c.timings!);
    lines.push(
      `| ${scenario} | ${group.length} | ${msOf(group.map((c) => c.durationMs))} | ${msOf(t.map((x) => x.startMs))} | ${phases.map((p) => msOf(t.map((x) => x.start?.[p]))).join(' | ')} | ${msOf(t.map((x) => x.flowsMs))} | ${msOf(t.map((x) => x.stopMs))} |`,
    );
  }
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, default: { type: 'boolean' }, test: { type: 'boolean' }, parallel: { type: 'string' } } });
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('timing: --runs wants a whole number ≥ 1\n');
    return 64;
  }
  const parallel = values.parallel ? ['--parallel', values.parallel] : [];
  const commands: { name: string; args: string[]; cells: boolean }[] = [{ name: `npm run repro -- --scenarios-only${parallel.length ? ` ${parallel.join(' ')}` : ''}`, args: ['run', 'repro', '--', '--scenarios-only', ...parallel], cells: true }];
  if (values.default) {
    const stores = Object.keys((await loadTarget(DEFAULT_TARGET_FILE)).stores);
    commands.push({ name: 'default run (npm run repro, every store named so REPORT.md stays)', args: ['run', 'repro', '--', ...stores.flatMap((s) => ['--store', s]), ...parallel], cells: true });
  }
  if (values.test) {
    commands.push({ name: 'npm test', args: ['test'], cells: false });
    commands.push({ name: 'npm run test:unit', args: ['run', 'test:unit'], cells: false });
  }

  // The machine's own pace, to compare figures across machines: a bare Node start is the floor of every process a run starts.
  const nodeStarts: number[] = [];
  for (let i = 0; i < 5; i++) nodeStarts.push((await runCommand(process.execPath, ['-e', '0'])).wallMs);
  const pace = spread(nodeStarts, (ms) => `${Math.round(ms)} ms`);
  process.stderr.write(`timing: this machine starts a bare Node (node -e 0) in ${pace}\n`);

  const results = new Map<string, Timed[]>();
  let tableRunDir: string | undefined;
  for (let round = 1; round <= runs; round++) {
    for (const command of commands) {
      const timed = await runCommand('npm', command.args);
      const latest = command.cells ? latestRun() : undefined;
      if (command === commands[0] && latest) tableRunDir = latest.dir;
      results.set(command.name, [...(results.get(command.name) ?? []), { ...timed, cells: latest?.cells ?? [] }]);
      const cpu = timed.cpuMs === undefined ? '' : `, CPU ${seconds(timed.cpuMs)}`;
      process.stderr.write(`timing: [${round}/${runs}] ${command.name}: ${seconds(timed.wallMs)}${cpu}${timed.code === 0 ? '' : ` (exit ${timed.code})`}\n`);
    }
  }

  const out: string[] = [`Machine pace: \`node -e 0\` ${pace}.`, '', '| command | wall, median (min–max, runs) | CPU user+sys, median (min–max, runs) |', '|---|---|---|'];
  for (const [name, timed] of results) {
    const cpu = timed.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
    out.push(`| \`${name}\` | ${spread(timed.map((t) => t.wallMs), seconds)} | ${spread(cpu, seconds)} |`);
  }
  const scenarioCells = results.get(commands[0]!.name)!.flatMap((t) => t.cells);
  if (tableRunDir) out.push('', ...(await tableFloor(tableRunDir, os.availableParallelism())));
  out.push('', `Where a scenario × store cell's time goes (ms, median over ${scenarioCells.length} cells of ${runs} scenario-table runs; start's parts overlap when they run side by side):`, '', ...cellBreakdown(scenarioCells));
  process.stdout.write(`${out.join('\n')}\n`);
  return [...results.values()].flat().every((t) => t.code === 0) ? 0 : 1;
}

process.exitCode = await main();
