/**
 * `npm run timing`: how long the commands a user runs take on this machine,
 * as medians (and min–max) of repeated runs, and where a scenario × store
 * cell's time goes (from the `timings` each cell records in results.json).
 *
 *   npm run timing -- [--runs N] [--default] [--test] [--parallel N]
 *
 * Always: `npm run repro -- --scenarios-only` (the stdio and remote scenario tables), N times.
 * --default: also the default run's work (table + every measurement). It is
 *   run as `npm run repro -- --store S...` naming every store, so it does the
 *   same work without rewriting the committed REPORT.md.
 * --test: also `npm test` (the whole gate) and `npm run test:unit` (its unit project alone).
 * --package: also `npx oauth-state-repro --help` in a project that installed
 *   this checkout's tarball (packed and installed once, install-packed.ts).
 * After the runs: each run command's floor on this machine, beside its
 * median wall time: the CPU of the work its last run did, each part costed
 * alone (the harness's start; each scenario × store cell of the table run
 * alone, cell-cost.ts; for the rest of a run, each target process to
 * readiness and its life after it, each store driver, Chromium, each whole
 * flow cold or warm, process-start-cost.ts; each measurement of the
 * default run alone, measurement-cost.ts), over the cores.
 * Wall time is measured around the child command, like /usr/bin/time's
 * "elapsed" (npm and tsx start-up included). CPU time (user + system of the
 * command and every process it started and waited for, like /usr/bin/time's
 * user + sys) is shown beside it: on a machine shared with other work, wall
 * time moves with their load and CPU time much less, so a before/after
 * comparison reads better in CPU seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
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
import { chromiumPath } from '../deploy/browser/chromium.ts';
import { cellCpuMs, measureCellCosts, type CellCost } from './cell-cost.ts';
import { measureMeasurementCosts, type MeasurementCost } from './measurement-cost.ts';
import { measureRemoteCellCosts, type RemoteCellCost } from './remote-cell-cost.ts';
import { packAndInstall } from './install-packed.ts';
import { BURNER_LEDGER_VARIABLE, burnerLedgerCpuMs } from '../deploy/process/cpu-burner.ts';
import { countDriversOfRun, countFlowsOfRun, countProcessKinds, flowCpuTotal, measureFlowCost, measureStartCost, reapedChildrenCpuMs, type FlowCost, type ProcessKind, type StartCost } from './process-start-cost.ts';

interface Timed {
  wallMs: number;
  /** undefined where /proc is not there to read it. */
  cpuMs: number | undefined;
  /** Of cpuMs, what the gate's CPU burners got (load put on it on purpose), for a test command; 0 where none ran. */
  burnerCpuMs?: number;
  code: number | null;
  cells: CellResult[];
  remoteCells: RanRemoteCell[];
  measurements: RanMeasurement[];
}

/** A remote scenario × store cell a run ran, and whether the conformance suite ran in it. */
interface RanRemoteCell {
  scenario: string;
  store: string;
  conformance: boolean;
}

/** CPU of this process's reaped children (process-start-cost.ts), or undefined where /proc is not there to read it. */
function childrenCpuMs(): number | undefined {
  try {
    return reapedChildrenCpuMs();
  } catch {
    return undefined;
  }
}

function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = PROJECT_ROOT): Promise<{ wallMs: number; cpuMs: number | undefined; code: number | null }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const cpuBefore = childrenCpuMs();
    // Output is not wanted here, only the time; stderr is kept for a failure.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
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

/** A measurement a run ran, and its wall time there (beside the others it ran with). */
interface RanMeasurement {
  id: string;
  durationMs: number;
}

/** The newest run's folder, cells and measurements (runs/latest), or nothing when it cannot be read. */
function latestRun(): { dir: string; cells: CellResult[]; remoteCells: RanRemoteCell[]; measurements: RanMeasurement[] } | undefined {
  try {
    const dir = realpathSync(path.join(PROJECT_ROOT, 'runs', 'latest'));
    const document = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as { cells: CellResult[]; remoteCells?: (RanRemoteCell & { conformance?: unknown })[]; measurements?: RanMeasurement[] };
    const remoteCells = (document.remoteCells ?? []).map(({ scenario, store, conformance }) => ({ scenario, store, conformance: conformance !== undefined }));
    return { dir, cells: document.cells, remoteCells, measurements: (document.measurements ?? []).map(({ id, durationMs }) => ({ id, durationMs })) };
  } catch {
    return undefined;
  }
}

/** The scenario a measurement's cost run keeps (a filtered run runs at least one); its cells' cost is subtracted again. */
const MEASUREMENT_COST_SCENARIO = 'split-process';

const KIND_NAMES: Record<ProcessKind, string> = { tool: 'tool', callback: 'callback', both: 'single-process (both)' };

/** What the floor of a run is made of, each part measured on this machine in this timing run. */
interface FloorCosts {
  /** CPU of `npm run repro -- --help`: npm, tsx and the harness's modules, paid by every run before it starts anything. */
  harnessStartMs: number[];
  /** CPU of each kind of target process until it is ready, started alone. */
  processStart: StartCost;
  /** CPU of `node -e 0`: the least a store driver (a compiled Node script) can cost to start. */
  nodeStartMs: number[];
  /** CPU of Chromium started headless until it has rendered a blank page and quit; undefined without chromium. */
  chromiumStartMs?: number[];
  /** CPU of one whole flow on fresh and on warm processes, every side included. */
  flow: FlowCost;
  /** Each scenario × store cell of the table run alone. */
  cells: CellCost[];
  /** Each remote scenario × store cell of the table run alone (the conformance suite in the cells where the run ran it). */
  remoteCells: RemoteCellCost[];
  /** Each measurement of the default run alone, when one was timed. */
  measurements: MeasurementCost[];
}

async function measureFloorCosts(tableCells: readonly CellResult[], remoteCells: readonly RanRemoteCell[], measurementIds: readonly string[]): Promise<{ costs: FloorCosts; store: string }> {
  const target = await loadTarget(DEFAULT_TARGET_FILE);
  const store = 'memory' in target.stores ? 'memory' : (target.defaultStore ?? Object.keys(target.stores)[0]!);
  process.stderr.write(`timing: the floor's parts, each measured alone: the harness's start, each kind of process to readiness (${store} store, 5 of each), a bare Node, Chromium, one flow on fresh and on warm processes, each cell of the table alone${remoteCells.length ? `, each of ${remoteCells.length} remote cells alone` : ''}${measurementIds.length ? `, each of ${measurementIds.length} measurements alone` : ''}…\n`);
  const cpuOfCommand = async (command: string, args: string[], times: number) => {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
      const timed = await runCommand(command, args);
      if (timed.cpuMs !== undefined) out.push(timed.cpuMs);
    }
    return out;
  };
  const browser = chromiumPath();
  return {
    store,
    costs: {
      harnessStartMs: await cpuOfCommand('npm', ['run', 'repro', '--', '--help'], 3),
      processStart: await measureStartCost(target, store, 5),
      nodeStartMs: await cpuOfCommand(process.execPath, ['-e', '0'], 5),
      ...(browser ? { chromiumStartMs: await cpuOfCommand(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', 'about:blank'], 3) } : {}),
      flow: await measureFlowCost(target, store, 3, 20),
      cells: await measureCellCosts(target, tableCells),
      remoteCells: await measureRemoteCellCosts(target, remoteCells, remoteCells.some((cell) => cell.conformance)),
      measurements: measurementIds.length ? await measureMeasurementCosts(measurementIds, MEASUREMENT_COST_SCENARIO, runCommand) : [],
    },
  };
}

/**
 * A run's floor on this machine: the CPU its necessary work costs when done
 * once, without contention, over the cores. The work is read from the run's
 * own folder: the harness started once; each scenario × store cell at what
 * that cell costs run alone (cell-cost.ts: its processes' whole life, its
 * flows, the harness's and the mock's part); and for the rest of the run
 * (the preflight, the measurements, the browser rows) each target process
 * at its start cost (its logs), each store driver at a bare Node's start,
 * Chromium once if it ran, and each whole flow (its histories) at the CPU a
 * flow costs every side, the first of each deployment cold. Waits (a
 * lock's deadline, a TTL probe's clock) are not in it: the floor is what
 * the CPU alone forbids.
 */
function runFloor(runDir: string, cells: readonly CellResult[], remoteCells: readonly RanRemoteCell[], costs: FloorCosts, cores: number): { ms: number; words: string } {
  const cellCost = (cell: CellResult) => costs.cells.find((c) => c.scenario === cell.scenario && c.store === cell.store);
  const costed = cells.filter((cell) => cellCost(cell) !== undefined);
  const remoteCost = (cell: RanRemoteCell) => costs.remoteCells.find((c) => c.scenario === cell.scenario && c.store === cell.store);
  const remoteCosted = remoteCells.filter((cell) => remoteCost(cell) !== undefined);
  const suiteCells = remoteCosted.filter((cell) => cell.conformance).length;
  const cellLabels = costed.map((cell) => `${cell.scenario}.${cell.store}.`);
  const otherLogs = readdirSync(path.join(runDir, 'logs')).filter((file) => !cellLabels.some((label) => file.startsWith(label)));
  const counts = countProcessKinds(otherLogs);
  const kinds = (Object.keys(counts) as ProcessKind[]).filter((kind) => counts[kind] > 0);
  const drivers = countDriversOfRun(runDir);
  const flows = Math.max(0, countFlowsOfRun(runDir) - costed.reduce((sum, cell) => sum + cell.flows, 0));
  const browserRan = existsSync(path.join(runDir, 'browser')) && costs.chromiumStartMs !== undefined;
  // Each deployment's first flow is cold (its processes are fresh: one tool process, or one doing both, per deployment); the rest are warm.
  const deployments = Math.min(flows, counts.tool + counts.both);
  const coldMs = median(costs.flow.cold.map(flowCpuTotal))!;
  const warmMs = flowCpuTotal(costs.flow.warm);
  const parts = [
    { what: 'the harness started once', ms: median(costs.harnessStartMs) ?? 0 },
    ...(costed.length ? [{ what: `${costed.length} scenario × store cells, each at its cost alone`, ms: costed.reduce((sum, cell) => sum + cellCpuMs(cellCost(cell)!), 0) }] : []),
    ...(remoteCosted.length
      ? [{ what: `${remoteCosted.length} remote scenario × store cells (${suiteCells} with the conformance suite), each at its cost alone`, ms: remoteCosted.reduce((sum, cell) => sum + cellCpuMs(remoteCost(cell)!), 0) }]
      : []),
    ...kinds.map((kind) => ({ what: `${counts[kind]} more ${KIND_NAMES[kind]} processes`, ms: counts[kind] * median(costs.processStart[kind])! })),
    ...(kinds.length ? [{ what: "their life after readiness until exit", ms: kinds.reduce((sum, kind) => sum + counts[kind], 0) * (median(costs.processStart.afterReadyMs) ?? 0) }] : []),
    ...(drivers ? [{ what: `${drivers} store drivers at a bare Node's start`, ms: drivers * (median(costs.nodeStartMs) ?? 0) }] : []),
    ...(browserRan ? [{ what: 'Chromium once', ms: median(costs.chromiumStartMs!) ?? 0 }] : []),
    ...(flows ? [{ what: `${flows} more whole flows (${deployments} first flows of fresh processes at ${Math.round(coldMs)} ms, ${flows - deployments} at ${Math.round(warmMs)} ms)`, ms: deployments * coldMs + (flows - deployments) * warmMs }] : []),
  ];
  const cpuMs = parts.reduce((sum, part) => sum + part.ms, 0);
  return { ms: cpuMs / cores, words: `${parts.map((part) => `${part.what} ${seconds(part.ms)}`).join(' + ')} = ${seconds(cpuMs)} of CPU, so at least ${seconds(cpuMs / cores)} of wall on ${cores} cores` };
}

function floorCostLines(costs: FloorCosts, store: string): string[] {
  const ms = (value: number) => `${Math.round(value)} ms`;
  return [
    `The floor's parts, measured alone in this timing run (CPU, median (min–max, n)): the harness's start (\`npm run repro -- --help\`) ${spread(costs.harnessStartMs, ms)}; ` +
      `to readiness, before any flow (${store} store): ${(Object.keys(KIND_NAMES) as ProcessKind[]).map((kind) => `${KIND_NAMES[kind]} ${spread(costs.processStart[kind], ms)}`).join('; ')}; ` +
      `after readiness until exit, stopped without a flow, per process ${spread(costs.processStart.afterReadyMs, ms)}; ` +
      `a bare Node ${spread(costs.nodeStartMs, ms)}; ${costs.chromiumStartMs ? `Chromium to a blank page ${spread(costs.chromiumStartMs, ms)}; ` : ''}` +
      `a scenario × store cell alone (its processes' whole life + the harness + the mock): ${spread(costs.cells.map(cellCpuMs), ms)}${costs.cells.some((c) => !c.asExpected) ? ` (${costs.cells.filter((c) => !c.asExpected).map((c) => `${c.scenario} × ${c.store}`).join(', ')} not as expected)` : ''}; ` +
      (costs.remoteCells.length
        ? `a remote scenario × store cell alone (its replicas, balancers and hosts' whole life + the harness + the mock): ${spread(costs.remoteCells.filter((c) => !c.conformance).map(cellCpuMs), ms)}, with the conformance suite ${spread(costs.remoteCells.filter((c) => c.conformance).map(cellCpuMs), ms)}${costs.remoteCells.some((c) => !c.asExpected) ? ` (${costs.remoteCells.filter((c) => !c.asExpected).map((c) => `remote ${c.scenario} × ${c.store}`).join(', ')} not as expected)` : ''}; `
        : '') +
      `one whole flow, every side (harness + mock + target): the first of fresh processes ${spread(costs.flow.cold.map(flowCpuTotal), ms)}, then on warm ones ${ms(flowCpuTotal(costs.flow.warm))} (mean of ${costs.flow.warmFlows}: harness ${ms(costs.flow.warm.harnessMs)}, mock ${ms(costs.flow.warm.mockMs)}, target ${ms(costs.flow.warm.targetMs)}).`,
  ];
}

/**
 * Per measurement: its wall time in the default run (beside the others),
 * and alone: the wall time it adds and its CPU over the cores, the least
 * wall time its work allows. A wall time alone far above that floor is a
 * measurement that waits (a lock's deadline, a provider's timeout) more
 * than it computes.
 */
function measurementCostTable(ran: readonly RanMeasurement[], costs: readonly MeasurementCost[], cores: number): string[] {
  const lines = [
    `Each measurement of the default run, alone (\`npm run repro -- --measurement ID --scenario ${MEASUREMENT_COST_SCENARIO}\` less the same run without it; one run each; a sequence's members together, as they share a deployment pool):`,
    '',
    '| measurement | wall in the default run, beside others (a sequence: the sum of its members) | wall alone | CPU alone | its floor: CPU ÷ cores | wall alone ÷ floor |',
    '|---|---|---|---|---|---|',
  ];
  const inRun = (cost: MeasurementCost) => ran.filter((m) => cost.ids.includes(m.id)).reduce((sum, m) => sum + m.durationMs, 0);
  for (const cost of [...costs].sort((a, b) => inRun(b) - inRun(a))) {
    const floor = cost.cpuMs / cores;
    lines.push(`| ${cost.ids.join(' + ')} | ${seconds(inRun(cost))} | ${seconds(cost.wallMs)} | ${seconds(cost.cpuMs)} | ${seconds(floor)} | ${floor > 0 ? `×${(cost.wallMs / floor).toFixed(2)}` : '–'} |`);
  }
  return lines;
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
  const { values } = parseArgs({ options: { runs: { type: 'string' }, default: { type: 'boolean' }, test: { type: 'boolean' }, package: { type: 'boolean' }, parallel: { type: 'string' } } });
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('timing: --runs wants a whole number ≥ 1\n');
    return 64;
  }
  const parallel = values.parallel ? ['--parallel', values.parallel] : [];
  // The scenario tables alone, stdio and remote (the conformance suite included, as the default run runs it): every cell of both is costed in the floor.
  // sequential: its processes run one after another (npx, then the bin), so its own CPU, not that over the cores, is its floor.
  // burners: the command may start CPU burners (the gate under load), whose CPU is left out of its floor.
  const commands: { name: string; args: string[]; cells: boolean; command?: string; cwd?: string; sequential?: boolean; burners?: boolean }[] = [
    { name: `npm run repro -- --scenarios-only (the stdio and remote scenario tables)${parallel.length ? ` ${parallel.join(' ')}` : ''}`, args: ['run', 'repro', '--', '--scenarios-only', ...parallel], cells: true },
  ];
  if (values.default) {
    const stores = Object.keys((await loadTarget(DEFAULT_TARGET_FILE)).stores);
    commands.push({ name: 'default run (npm run repro, every store named so REPORT.md stays)', args: ['run', 'repro', '--', ...stores.flatMap((s) => ['--store', s]), ...parallel], cells: true });
  }
  if (values.test) {
    commands.push({ name: 'npm test', args: ['test'], cells: false, burners: true });
    commands.push({ name: 'npm run test:unit', args: ['run', 'test:unit'], cells: false });
  }
  if (values.package) {
    packageWork = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-timing-package-'));
    process.stderr.write(`timing: packing this checkout and installing the tarball into ${packageWork}…\n`);
    const { project } = await packAndInstall(packageWork);
    commands.push({ name: 'npx oauth-state-repro --help (the installed package)', command: 'npx', args: ['oauth-state-repro', '--help'], cells: false, cwd: project, sequential: true });
  }

  // The machine's own pace, to compare figures across machines: a bare Node start is the floor of every process a run starts.
  const nodeStarts: number[] = [];
  for (let i = 0; i < 5; i++) nodeStarts.push((await runCommand(process.execPath, ['-e', '0'])).wallMs);
  const pace = spread(nodeStarts, (ms) => `${Math.round(ms)} ms`);
  process.stderr.write(`timing: this machine starts a bare Node (node -e 0) in ${pace}\n`);

  const results = new Map<string, Timed[]>();
  // The last run folder of each command that writes one: its floor is computed from what that run started.
  const runDirs = new Map<string, string>();
  // Each run of a test command gets a ledger of its own, where the gate's CPU burners say what they got (cpu-burner.ts).
  const ledgers = mkdtempSync(path.join(os.tmpdir(), 'oauth-state-repro-timing-burners-'));
  try {
    for (let round = 1; round <= runs; round++) {
      for (const [i, command] of commands.entries()) {
        const ledger = path.join(ledgers, `${round}-${i}.jsonl`);
        const env = command.burners ? { ...process.env, [BURNER_LEDGER_VARIABLE]: ledger } : process.env;
        const timed: Omit<Timed, 'cells' | 'remoteCells' | 'measurements'> = await runCommand(command.command ?? 'npm', command.args, env, command.cwd);
        if (command.burners) timed.burnerCpuMs = burnerLedgerCpuMs(ledger);
        const latest = command.cells ? latestRun() : undefined;
        if (latest) runDirs.set(command.name, latest.dir);
        results.set(command.name, [...(results.get(command.name) ?? []), { ...timed, cells: latest?.cells ?? [], remoteCells: latest?.remoteCells ?? [], measurements: latest?.measurements ?? [] }]);
        const cpu = timed.cpuMs === undefined ? '' : `, CPU ${seconds(timed.cpuMs)}${timed.burnerCpuMs ? ` (its CPU burners' ${seconds(timed.burnerCpuMs)})` : ''}`;
        process.stderr.write(`timing: [${round}/${runs}] ${command.name}: ${seconds(timed.wallMs)}${cpu}${timed.code === 0 ? '' : ` (exit ${timed.code})`}\n`);
      }
    }
  } finally {
    rmSync(ledgers, { recursive: true, force: true });
  }

  const out: string[] = [`Machine pace: \`node -e 0\` ${pace}.`, '', '| command | wall, median (min–max, runs) | CPU user+sys, median (min–max, runs) |', '|---|---|---|'];
  for (const [name, timed] of results) {
    const cpu = timed.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
    const burnt = timed.flatMap((t) => (t.burnerCpuMs ? [t.burnerCpuMs] : []));
    out.push(`| \`${name}\` | ${spread(timed.map((t) => t.wallMs), seconds)} | ${spread(cpu, seconds)}${burnt.length ? `, of which its CPU burners' ${spread(burnt, seconds)}` : ''} |`);
  }
  const scenarioCells = results.get(commands[0]!.name)!.flatMap((t) => t.cells);
  const lastCells = (name: string) => results.get(name)?.at(-1)?.cells ?? [];
  const lastRemoteCells = (name: string) => results.get(name)?.at(-1)?.remoteCells ?? [];
  const lastMeasurements = (name: string) => results.get(name)?.at(-1)?.measurements ?? [];
  const ranMeasurements = [...new Set(commands.flatMap((command) => lastMeasurements(command.name).map((m) => m.id)))];
  const { costs, store } = await measureFloorCosts(lastCells(commands[0]!.name), lastRemoteCells(commands[0]!.name), ranMeasurements);
  const cores = os.availableParallelism();
  out.push('', '| command | floor on this machine | wall ÷ floor |', '|---|---|---|');
  const floorWords: string[] = [];
  let tableFloorCpuMs: number | undefined;
  for (const command of commands) {
    const timed = results.get(command.name)!;
    const wall = median(timed.map((t) => t.wallMs))!;
    const runDir = runDirs.get(command.name);
    let floor: { ms: number; words: string } | undefined;
    const ran = lastMeasurements(command.name);
    const costed = ran.every((m) => costs.measurements.some((cost) => cost.ids.includes(m.id)));
    const ownCpuMs = median(timed.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs])));
    if (runDir && ran.length && tableFloorCpuMs !== undefined && costed && ownCpuMs !== undefined) {
      // Its table is the table timed above; what it adds is its measurements, each at its cost alone. Alone, a
      // measurement pays again for what a whole run shares (modules, the stores' services, a warm harness), so
      // the sum can exceed what the run itself used: then the run's own CPU is the tighter bound, and is the floor.
      const units = costs.measurements.filter((cost) => cost.ids.some((id) => ran.some((m) => m.id === id)));
      const partsMs = tableFloorCpuMs + units.reduce((sum, cost) => sum + cost.cpuMs, 0);
      const cpuMs = Math.min(partsMs, ownCpuMs);
      floor = {
        ms: cpuMs / cores,
        words:
          `(its last run, ${path.basename(runDir)}): the table's floor ${seconds(tableFloorCpuMs)} of CPU + ${ran.length} measurements in ${units.length} units, each at its cost alone (below) ${seconds(partsMs - tableFloorCpuMs)} = ${seconds(partsMs)} of CPU; ` +
          `the run's own CPU ${seconds(ownCpuMs)} (median); the smaller, ${seconds(cpuMs)}, over ${cores} cores: at least ${seconds(cpuMs / cores)} of wall`,
      };
    } else if (runDir) {
      const ofRun = runFloor(runDir, lastCells(command.name), lastRemoteCells(command.name), costs, cores);
      floor = { ms: ofRun.ms, words: `(its last run, ${path.basename(runDir)}): ${ofRun.words}` };
      if (command === commands[0]) tableFloorCpuMs = ofRun.ms * cores;
    } else {
      // A test run leaves no run folder to read its work from: its own CPU over the cores is the least wall time of the work it did.
      // Less what its CPU burners got: they take whatever CPU is free while their test runs, load put on the gate, not its work.
      const work = median(timed.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs - (t.burnerCpuMs ?? 0)])));
      const burnt = median(timed.map((t) => t.burnerCpuMs ?? 0)) ?? 0;
      if (work !== undefined && command.sequential) floor = { ms: work, words: `its own CPU, ${seconds(work)} (median): its processes run one after another, so one core at a time` };
      else if (work !== undefined) {
        const what = burnt > 0
          ? `its own CPU less what its CPU burners got (the gate under load: they take whatever CPU is free while their test runs, so it is load, not work), median of each run's difference ${seconds(work)} (its CPU ${seconds(ownCpuMs!)}, the burners' ${seconds(burnt)}, medians)`
          : `its own CPU, ${seconds(work)} (median)`;
        floor = { ms: work / cores, words: `${what}, over ${cores} cores: the least wall time of the work it did, no part of it costed alone` };
      }
    }
    if (!floor) continue;
    out.push(`| \`${command.name}\` | ${seconds(floor.ms)} | ×${(wall / floor.ms).toFixed(2)} |`);
    floorWords.push(`- \`${command.name}\` ${floor.words}.`);
  }
  out.push('', ...floorWords, '', ...floorCostLines(costs, store));
  const defaultRun = commands.find((command) => lastMeasurements(command.name).length > 0);
  if (defaultRun && costs.measurements.length) out.push('', ...measurementCostTable(lastMeasurements(defaultRun.name), costs.measurements, cores));
  out.push('', `Where a scenario × store cell's time goes (ms, median over ${scenarioCells.length} cells of ${runs} scenario-table runs; start's parts overlap when they run side by side):`, '', ...cellBreakdown(scenarioCells));
  process.stdout.write(`${out.join('\n')}\n`);
  return [...results.values()].flat().every((t) => t.code === 0) ? 0 : 1;
}

/** Where --package installs the tarball: removed however main ends. */
let packageWork: string | undefined;
try {
  process.exitCode = await main();
} finally {
  if (packageWork) rmSync(packageWork, { recursive: true, force: true });
}
