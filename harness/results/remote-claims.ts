/**
 * The write-up's claims C1–C4 read again across replicas, from the remote
 * cells of the write-up's two designs (the `memory` and `file` stores the
 * claims judge). Pure: every verdict comes from cells the gate has already
 * held to their scenarios, and the scenarios are told apart by what the
 * cells record (replicas, policy, hosts, the restarts done), not by name.
 *
 * - C1 (static memory cannot share sessions): the memory design completes
 *   through one replica and breaks wherever two take turns.
 * - C2 (the file store shares sessions): the file design across replicas,
 *   where they share a host and where they do not.
 * - C3 (works with process isolation): the file design with replicas on
 *   hosts of their own, requests alternating.
 * - C4 (survives component restarts): the file design through a rolling
 *   restart of every replica.
 * - C5 (~200 bytes per session): the bytes a whole remote flow leaves on
 *   the replicas' shared host, for the file design (the remote footprint
 *   measurement, which judges each store).
 * - C6 (15min TTL): a pending authorization at 14:59 and 15:01 on a
 *   virtual clock every replica follows, for the file design (the remote
 *   TTL measurement, which judges each store).
 * - C8 (100% success): the file design with flows at once through two
 *   replicas on one shared host (the remote load measurement).
 */
import type { RemoteCellResult } from '../core/remote-cell-result.ts';
import { describeLost } from '../core/checkers/remote-cell-verdict.ts';
import type { WriteUpStores } from '../measurements/write-up-stores.ts';
import type { RemoteLoadResult } from '../measurements/remote-load/remote-load-result.ts';
import type { RemoteFootprintPublished } from '../measurements/remote-footprint/remote-footprint-measurement.ts';
import type { RemoteTtlPublished } from '../measurements/remote-ttl/remote-ttl-measurement.ts';

export type RemoteClaimVerdict = 'holds' | 'holds only under stated conditions' | 'does not hold' | 'unknown';

export interface RemoteClaimRow {
  id: 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C8';
  store?: string;
  verdict: RemoteClaimVerdict;
  /** The cells it was read from, each with its flows. */
  figure: string;
  conditions?: string;
}

const completedAll = (cell: RemoteCellResult) => !cell.harnessError && cell.flows.length > 0 && cell.completed === cell.flows.length;
const brokeAll = (cell: RemoteCellResult) => !cell.harnessError && cell.flows.length > 0 && cell.completed === 0 && Object.keys(cell.lost).length > 0;
const restarted = (cell: RemoteCellResult) => cell.operations.some((op) => op.op === 'stop');
const added = (cell: RemoteCellResult) => cell.operations.some((op) => op.op === 'add');
/** One replica, nothing done to it: the control. */
const single = (cell: RemoteCellResult) => cell.replicas === 1 && !restarted(cell) && !added(cell);
/** Several replicas taking turns (not all loopback requests hashed to one), nothing done to them. */
const alternating = (cell: RemoteCellResult) => cell.replicas > 1 && cell.policy !== 'source' && !restarted(cell);
const say = (cell: RemoteCellResult) => `${cell.scenario}: ${cell.completed}/${cell.flows.length} completed${Object.keys(cell.lost).length ? ` (broken: ${describeLost(cell.lost)})` : ''}`;

function unknown(id: RemoteClaimRow['id'], why: string, store?: string): RemoteClaimRow {
  return { id, ...(store ? { store } : {}), verdict: 'unknown', figure: why };
}

/** What the remote measurements published, each absent when it did not run. */
export interface RemoteMeasured {
  load?: RemoteLoadResult;
  ttl?: RemoteTtlPublished;
  footprint?: RemoteFootprintPublished;
}

export function remoteClaims(cells: readonly RemoteCellResult[] | undefined, designs: WriteUpStores | undefined, measured: RemoteMeasured = {}): RemoteClaimRow[] {
  if (!cells?.length) return [];
  const { load, ttl, footprint } = measured;
  const fromMeasurements = [...(footprint ? [footprintClaim(footprint, designs)] : []), ...(ttl ? [ttlClaim(ttl, designs)] : []), ...(load ? [loadClaim(load, designs)] : [])];
  const rows: RemoteClaimRow[] = [];
  const of = (store: string | undefined) => (store ? cells.filter((cell) => cell.store === store) : []);

  const memory = of(designs?.memory);
  const control = memory.filter(single);
  const turns = memory.filter((cell) => alternating(cell) && cell.hosts === 'own');
  if (!designs?.memory) rows.push(unknown('C1', designs?.why?.memory ?? 'no store follows the memory design'));
  else if (!control.length || !turns.length) rows.push(unknown('C1', 'needs the single-replica control and a scenario where two replicas take turns', designs.memory));
  else {
    const holds = control.every(completedAll) && turns.every(brokeAll);
    rows.push({ id: 'C1', store: designs.memory, verdict: holds ? 'holds' : 'does not hold', figure: [...control, ...turns].map(say).join('; ') });
  }

  const file = of(designs?.file);
  if (!designs?.file) {
    for (const id of ['C2', 'C3', 'C4'] as const) rows.push(unknown(id, designs?.why?.file ?? 'no store follows the file design'));
    return [...rows, ...fromMeasurements];
  }
  const shared = file.filter((cell) => cell.hosts === 'shared' && cell.replicas > 1);
  const apart = file.filter((cell) => cell.hosts === 'own' && alternating(cell));
  if (!shared.length || !apart.length) rows.push(unknown('C2', 'needs replicas on one shared host and replicas on hosts of their own', designs.file));
  else {
    const sharedOk = shared.every(completedAll);
    const apartOk = apart.every(completedAll);
    rows.push({
      id: 'C2',
      store: designs.file,
      verdict: sharedOk && apartOk ? 'holds' : sharedOk ? 'holds only under stated conditions' : 'does not hold',
      figure: [...shared, ...apart].map(say).join('; '),
      ...(sharedOk && !apartOk ? { conditions: 'every replica on one host with one /tmp: replicas on hosts of their own lose each other\'s state' } : {}),
    });
  }
  if (!apart.length) rows.push(unknown('C3', 'needs replicas on hosts of their own taking turns', designs.file));
  else rows.push({ id: 'C3', store: designs.file, verdict: apart.every(completedAll) ? 'holds' : 'does not hold', figure: apart.map(say).join('; ') });
  const restarts = file.filter(restarted);
  if (!restarts.length) rows.push(unknown('C4', 'needs a scenario that restarts the replicas', designs.file));
  else {
    const ok = restarts.every(completedAll);
    const onOwnHost = restarts.every((cell) => cell.hosts === 'own' || cell.replicas === 1);
    rows.push({
      id: 'C4',
      store: designs.file,
      verdict: ok ? 'holds only under stated conditions' : 'does not hold',
      figure: restarts.map(say).join('; '),
      ...(ok && onOwnHost ? { conditions: 'each replica restarted on the host that keeps its file, and every request of a flow served by one host' } : {}),
    });
  }
  return [...rows, ...fromMeasurements];
}

/** "1 at once: 4/4; 4 at once: 7/8 (broken: registration ×1)". */
export function describeLoad(levels: RemoteLoadResult['stores'][number]['levels']): string {
  return levels
    .map((level) => {
      const broken = [describeLost(level.lost), level.incomplete ? `${level.incomplete} ended on the harness's side` : ''].filter(Boolean).join(', ');
      return `${level.concurrency} at once: ${level.completed}/${level.flows}${broken ? ` (broken: ${broken})` : ''}`;
    })
    .join('; ');
}

function loadClaim(load: RemoteLoadResult, designs: WriteUpStores | undefined): RemoteClaimRow {
  const store = designs?.file;
  if (!store) return unknown('C8', designs?.why?.file ?? 'no store follows the file design');
  const measured = load.stores.find((s) => s.store === store);
  if (!measured || measured.harnessError || measured.levels.length === 0) return unknown('C8', measured?.harnessError ?? 'the remote load measurement did not measure the file design', store);
  const all = (level: RemoteLoadResult['stores'][number]['levels'][number]) => level.flows > 0 && level.completed === level.flows;
  const alone = measured.levels.filter((level) => level.concurrency === 1);
  const overlapping = measured.levels.filter((level) => level.concurrency > 1);
  const figure = `${load.replicas} replicas, ${load.policy}, one shared host: ${describeLoad(measured.levels)}`;
  if (measured.levels.some((level) => level.incomplete > 0)) return { ...unknown('C8', `${figure}: a flow ended on the harness's side`, store) };
  // A loss is a finding at any sample size; no loss among a few overlapping flows is not yet "100%".
  if (measured.levels.every(all)) {
    return load.quick
      ? { id: 'C8', store, verdict: 'unknown', figure: `${figure}: none lost in the quick run; npm run bench overlaps up to 64 at once before this can hold` }
      : { id: 'C8', store, verdict: 'holds', figure };
  }
  if (alone.length && alone.every(all) && overlapping.some((level) => !all(level))) {
    return { id: 'C8', store, verdict: 'holds only under stated conditions', figure, conditions: 'flows never overlap: with several at once through replicas sharing the file, some are lost' };
  }
  return { id: 'C8', store, verdict: 'does not hold', figure };
}

/** C5 for the file design, from the remote footprint measurement's judgement of it. */
function footprintClaim(footprint: RemoteFootprintPublished, designs: WriteUpStores | undefined): RemoteClaimRow {
  const store = designs?.file;
  if (!store) return unknown('C5', designs?.why?.file ?? 'no store follows the file design');
  const judged = footprint.judged.find((j) => j.store === store);
  if (!judged) return unknown('C5', 'the remote footprint measurement did not measure the file design', store);
  const shape = `${footprint.replicas} replicas, ${footprint.policy}, one shared host`;
  if (judged.verdict === 'n/a') return unknown('C5', `${shape}: ${judged.figure}: the file design left nothing under the hosts' folders, so its file (wherever it is) was not weighed`, store);
  if (judged.verdict === 'unknown') return unknown('C5', `${shape}: ${judged.figure} (${judged.why})`, store);
  // Several records per flow, and nothing generic tells them apart in a store's files: the figure stays per flow.
  return { id: 'C5', store, verdict: judged.verdict, figure: `${shape}: ${judged.figure}; per flow, not per item: a remote flow stores several records (a registration, a pending authorization, a code, tokens, an MCP session)` };
}

/** C6 for the file design, from the remote TTL measurement's judgement of it. */
function ttlClaim(ttl: RemoteTtlPublished, designs: WriteUpStores | undefined): RemoteClaimRow {
  const store = designs?.file;
  if (!store) return unknown('C6', designs?.why?.file ?? 'no store follows the file design');
  const judged = ttl.judged.find((j) => j.store === store);
  if (!judged) return unknown('C6', 'the remote TTL measurement did not measure the file design', store);
  const figure = `${ttl.replicas} replicas, ${ttl.policy}, one shared host, one virtual clock: ${judged.figure}${judged.why ? ` (${judged.why})` : ''}`;
  return { id: 'C6', store, verdict: judged.verdict, figure };
}
