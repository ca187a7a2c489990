/**
 * C1–C4 are judged from the scenario table itself: which stores carried the
 * state (and the token) across which process boundary. Pure functions of the
 * cells of this run.
 */
import type { ClaimRow, ClaimVerdict } from '../measure-context.ts';
import type { CellResult } from '../../core/cell-result.ts';
import { WRITE_UP_NAMES, type WriteUpStores } from '../write-up-stores.ts';

const REPRO = 'npm run repro';

function cell(cells: readonly CellResult[], scenario: string, store: string): CellResult | undefined {
  return cells.find((c) => c.scenario === scenario && c.store === store && !c.harnessError);
}

/**
 * Every flow of the cell completed: state found, code exchanged, and the
 * token handed to the tool process, attributed to its own flow, wherever
 * the target lets a hand-off be seen (a target with no token tool is judged
 * on what it shows, and the figure says the hand-off was not observable).
 */
const allPassed = (c: CellResult) =>
  c.flows > 0 && c.stateLookups.ok === c.flows && c.tokenExchanges.ok === c.flows && c.tokenHandoffs.failed === 0 && c.tokenHandoffs.ok + c.tokenHandoffs.notObservable === c.flows;
/** Every flow of the cell stopped at the state lookup. */
const allLostState = (c: CellResult) => c.flows > 0 && c.stateLookups.failed === c.flows;

/** A target with no token tool leaves every completed flow's hand-off unobservable: then no cell's figure speaks of tokens handed over. */
const handoffObservable = (cells: readonly CellResult[]) => !cells.some((c) => c.tokenHandoffs.notObservable > 0);

const tally = (c: CellResult, observable: boolean) =>
  `${c.scenario} × ${c.store}: ${c.stateLookups.ok}/${c.flows} state lookups ok, ${c.tokenExchanges.ok}/${c.flows} codes exchanged, ` +
  (observable ? `${c.tokenHandoffs.ok}/${c.flows} tokens handed to the tool process` : 'token hand-off not observable on this target');

/** The cells a claim is judged from, for the gate to know what a filtered run cannot judge. */
const reads = (store: string | undefined, ...scenarios: string[]) => (store ? { reads: { cells: scenarios.map((scenario) => ({ scenario, store })) } } : {});

function unknownRow(base: Omit<ClaimRow, 'verdict' | 'figure' | 'samples'>, missing: string): ClaimRow {
  return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: `not measured in this run: ${missing}` };
}

export function claimC1(cells: readonly CellResult[], stores: WriteUpStores = WRITE_UP_NAMES): ClaimRow {
  const store = stores.memory;
  const base = {
    id: 'C1',
    claim: 'Static memory cannot share sessions between processes (the cause)',
    measured: `${store ?? 'memory'} store: flows with tool and callback in one process vs in two processes`,
    command: `${REPRO} -- --store ${store ?? 'memory'}`,
    quick: false,
    ...reads(store, 'single-process', 'split-process'),
  };
  if (!store) return unknownRow(base, stores.why?.memory ?? 'no store of the memory design');
  const single = cell(cells, 'single-process', store);
  const split = cell(cells, 'split-process', store);
  if (!single || !split) return unknownRow(base, `single-process and split-process × ${store}`);
  const verdict: ClaimVerdict = allPassed(single) && allLostState(split) ? 'holds' : 'does not hold';
  return { ...base, figure: `${tally(single, handoffObservable(cells))}; ${tally(split, handoffObservable(cells))}`, samples: `${single.flows + split.flows} flows`, verdict };
}

export function claimC2(cells: readonly CellResult[], stores: WriteUpStores = WRITE_UP_NAMES): ClaimRow {
  const store = stores.file;
  const base = {
    id: 'C2',
    claim: 'The file store shares sessions across processes',
    measured: `${store ?? 'the file'} store, two processes on one host sharing /tmp, one flow at a time`,
    command: `${REPRO} -- --scenario split-process --store ${store ?? 'json-file'}`,
    quick: false,
    ...reads(store, 'split-process'),
  };
  if (!store) return unknownRow(base, stores.why?.file ?? 'no store of the file design');
  const split = cell(cells, 'split-process', store);
  if (!split) return unknownRow(base, `split-process × ${store}`);
  return {
    ...base,
    figure: tally(split, handoffObservable(cells)),
    samples: `${split.flows} flows`,
    // Holds as measured (one host, one flow at a time); refineTopologyClaims adds the conditions C3 and C8 measured.
    verdict: allPassed(split) ? 'holds' : 'does not hold',
  };
}

export function claimC3(cells: readonly CellResult[], stores: WriteUpStores = WRITE_UP_NAMES): ClaimRow {
  const store = stores.file;
  const base = {
    id: 'C3',
    claim: '"Smithery compatible: works with process isolation"',
    measured: `${store ?? 'the file'} store, tool and callback processes each with their own TMPDIR and HOME (two containers)`,
    command: `${REPRO} -- --scenario isolated --store ${store ?? 'json-file'}`,
    quick: false,
    ...reads(store, 'isolated'),
  };
  if (!store) return unknownRow(base, stores.why?.file ?? 'no store of the file design');
  const isolated = cell(cells, 'isolated', store);
  if (!isolated) return unknownRow(base, `isolated × ${store}`);
  return {
    ...base,
    figure: tally(isolated, handoffObservable(cells)),
    samples: `${isolated.flows} flows`,
    verdict: allPassed(isolated) ? 'holds' : 'does not hold',
    conditions: allPassed(isolated) ? undefined : 'isolated processes share no /tmp, so the file written by one is not the file read by the other',
  };
}

export function claimC4(cells: readonly CellResult[], stores: WriteUpStores = WRITE_UP_NAMES): ClaimRow {
  const store = stores.file;
  const base = {
    id: 'C4',
    claim: '"Persistent: survives component restarts"',
    measured: `${store ?? 'the file'} store, callback process SIGKILLed and restarted between start_oauth and the callback`,
    command: `${REPRO} -- --scenario callback-restart --store ${store ?? 'json-file'}`,
    quick: false,
    ...reads(store, 'callback-restart'),
  };
  if (!store) return unknownRow(base, stores.why?.file ?? 'no store of the file design');
  const restart = cell(cells, 'callback-restart', store);
  if (!restart) return unknownRow(base, `callback-restart × ${store}`);
  return {
    ...base,
    figure: tally(restart, handoffObservable(cells)),
    samples: `${restart.flows} flows across 1 restart`,
    // Holds as measured (restart on the same host); refineTopologyClaims adds what C3 measured about other hosts.
    verdict: allPassed(restart) ? 'holds' : 'does not hold',
  };
}

export function topologyClaims(cells: readonly CellResult[], stores: WriteUpStores = WRITE_UP_NAMES): ClaimRow[] {
  return [claimC1(cells, stores), claimC2(cells, stores), claimC3(cells, stores), claimC4(cells, stores)];
}

const figureOf = (row: ClaimRow) => (row.figure.length > 140 ? `${row.figure.slice(0, 140)}…` : row.figure);

/**
 * C2 and C4 as measured hold on one host, one flow at a time. Whether that
 * is a condition depends on what C3 (separate hosts) and C8 (overlapping
 * flows) measured in the same run: each condition is stated only when the
 * other claim found the limit, and quotes its figure.
 */
export function refineTopologyClaims(own: readonly ClaimRow[], all: readonly ClaimRow[]): ClaimRow[] {
  const c3 = all.find((row) => row.id === 'C3');
  const c8 = all.find((row) => row.id === 'C8');
  const hostLimit = (subject: string) =>
    !c3 ? `${subject} was measured on one host only (C3 was not measured)` : c3.verdict === 'holds' ? undefined : `${subject} needs one host with one /tmp: across hosts it ${c3.verdict === 'unknown' ? 'could not be judged' : 'fails'} (C3: ${figureOf(c3)})`;
  const overlapLimit = !c8 ? 'flows were one at a time (C8 was not measured)' : c8.verdict === 'holds' ? undefined : `flows must not overlap (C8 ${c8.verdict}: ${figureOf(c8)})`;
  return own.map((row) => {
    if (row.verdict !== 'holds') return row;
    const readClaims = row.id === 'C2' ? ['C3', 'C8'] : row.id === 'C4' ? ['C3'] : [];
    const withReads = readClaims.length ? { ...row, reads: { ...row.reads, claims: readClaims } } : row;
    const conditions = (row.id === 'C2' ? [hostLimit('sharing'), overlapLimit] : row.id === 'C4' ? [hostLimit('the restarted process')] : []).filter((c): c is string => c !== undefined);
    return conditions.length ? { ...withReads, verdict: 'holds only under stated conditions', conditions: conditions.join('; ') } : withReads;
  });
}
