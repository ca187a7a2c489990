/**
 * C1–C4 are judged from the scenario table itself: which stores carried the
 * state (and the token) across which process boundary. Pure functions of the
 * cells of this run.
 */
import type { ClaimRow, ClaimVerdict } from '../measure-context.ts';
import type { CellResult } from '../../core/cell-result.ts';

const REPRO = 'npm run repro';

function cell(cells: readonly CellResult[], scenario: string, store: string): CellResult | undefined {
  return cells.find((c) => c.scenario === scenario && c.store === store && !c.harnessError);
}

/** Every flow of the cell completed (state found, token handed to the tool process). */
const allPassed = (c: CellResult) => c.flows > 0 && c.tokenHandoffs.ok === c.flows;
/** Every flow of the cell stopped at the state lookup. */
const allLostState = (c: CellResult) => c.flows > 0 && c.stateLookups.failed === c.flows;

const tally = (c: CellResult) =>
  `${c.scenario} × ${c.store}: ${c.stateLookups.ok}/${c.flows} state lookups ok, ${c.tokenHandoffs.ok}/${c.flows} tokens handed to the tool process`;

function unknownRow(base: Omit<ClaimRow, 'verdict' | 'figure' | 'samples'>, missing: string): ClaimRow {
  return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: `not measured in this run: ${missing}` };
}

export function claimC1(cells: readonly CellResult[]): ClaimRow {
  const base = {
    id: 'C1',
    claim: 'Static memory cannot share sessions between processes (the cause)',
    measured: 'memory store: flows with tool and callback in one process vs in two processes',
    command: `${REPRO} -- --store memory`,
    quick: false,
  };
  const single = cell(cells, 'single-process', 'memory');
  const split = cell(cells, 'split-process', 'memory');
  if (!single || !split) return unknownRow(base, 'single-process and split-process × memory');
  const verdict: ClaimVerdict = allPassed(single) && allLostState(split) ? 'holds' : 'does not hold';
  return { ...base, figure: `${tally(single)}; ${tally(split)}`, samples: `${single.flows + split.flows} flows`, verdict };
}

export function claimC2(cells: readonly CellResult[]): ClaimRow {
  const base = {
    id: 'C2',
    claim: 'The file store shares sessions across processes',
    measured: 'json-file store, two processes on one host sharing /tmp, one flow at a time',
    command: `${REPRO} -- --scenario split-process --store json-file`,
    quick: false,
  };
  const split = cell(cells, 'split-process', 'json-file');
  if (!split) return unknownRow(base, 'split-process × json-file');
  return {
    ...base,
    figure: tally(split),
    samples: `${split.flows} flows`,
    verdict: allPassed(split) ? 'holds only under stated conditions' : 'does not hold',
    conditions: allPassed(split) ? 'processes on one host, sharing one /tmp, flows not overlapping (see C3 for separate hosts and C8 for concurrent flows)' : undefined,
  };
}

export function claimC3(cells: readonly CellResult[]): ClaimRow {
  const base = {
    id: 'C3',
    claim: '"Smithery compatible: works with process isolation"',
    measured: 'json-file store, tool and callback processes each with their own TMPDIR and HOME (two containers)',
    command: `${REPRO} -- --scenario isolated --store json-file`,
    quick: false,
  };
  const isolated = cell(cells, 'isolated', 'json-file');
  if (!isolated) return unknownRow(base, 'isolated × json-file');
  return {
    ...base,
    figure: tally(isolated),
    samples: `${isolated.flows} flows`,
    verdict: allPassed(isolated) ? 'holds' : 'does not hold',
    conditions: allPassed(isolated) ? undefined : 'isolated processes share no /tmp, so the file written by one is not the file read by the other',
  };
}

export function claimC4(cells: readonly CellResult[]): ClaimRow {
  const base = {
    id: 'C4',
    claim: '"Persistent: survives component restarts"',
    measured: 'json-file store, callback process SIGKILLed and restarted between start_oauth and the callback',
    command: `${REPRO} -- --scenario callback-restart --store json-file`,
    quick: false,
  };
  const restart = cell(cells, 'callback-restart', 'json-file');
  if (!restart) return unknownRow(base, 'callback-restart × json-file');
  return {
    ...base,
    figure: tally(restart),
    samples: `${restart.flows} flows across 1 restart`,
    verdict: allPassed(restart) ? 'holds only under stated conditions' : 'does not hold',
    conditions: allPassed(restart)
      ? 'the restarted process comes back on the same host with the same /tmp; a new container or a cleaned /tmp starts empty (C3)'
      : undefined,
  };
}

export function topologyClaims(cells: readonly CellResult[]): ClaimRow[] {
  return [claimC1(cells), claimC2(cells), claimC3(cells), claimC4(cells)];
}
