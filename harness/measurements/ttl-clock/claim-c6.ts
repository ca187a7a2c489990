/**
 * C6, "15min TTL", judged from the measured outcomes. Pure: TtlResult in,
 * ClaimRow out. The claim is the write-up's, so its store (json-file) is
 * the one judged; the other stores' boundary figures ride along.
 *
 * Acceptance and refusal are read from what any server shows
 * (probe-verdict.ts): a success page or a redemption at the provider, or a
 * page that is not a success with no redemption. Whatever words a server
 * refuses with are its own; the figure quotes them and no rule compares them
 * with anyone's text.
 *
 * - does not hold: the boundary itself is wrong (14:59 refused, or 15:01
 *   accepted);
 * - unknown: either boundary probe could not be told (no page, or the
 *   provider's record unreadable);
 * - holds only under stated conditions: the boundary is right with agreeing
 *   clocks, but skew between the processes or a session stamped in the
 *   future moves it (each condition found is stated);
 * - holds: the boundary is right and nothing measured moves it.
 */
import { minutes, signed } from './clock-text.ts';
import type { ClaimRow } from '../measure-context.ts';
import type { TtlProbe } from './flow-across.ts';
import { accepted, probeVerdict, quoteRefusal, said } from './probe-verdict.ts';
import type { TtlResult, TtlStoreResult } from './ttl-result.ts';

/** Known either way: accepted or refused, with evidence. */
const told = (probe: TtlProbe) => probeVerdict(probe).kind !== 'unknown';

function countFlows(result: TtlStoreResult): number {
  const probes = [
    result.baseline,
    result.boundary?.before,
    result.boundary?.after,
    ...(result.skew?.applicable ? result.skew.cases : []),
    result.futureTimestamp?.callbackAfter20Min,
    result.futureTimestamp?.callbackPastTimestampPlusTtl,
  ];
  return probes.filter((probe) => probe?.started).length;
}

/** Sessions stored without a callback, for the cleanup and future-timestamp probes. */
function storedOnly(result: TtlStoreResult): number {
  const cleanup = result.cleanup?.observable ? result.cleanup.rounds.reduce((sum, round) => sum + round.puts, 0) + 1 : 0;
  return cleanup + (result.futureTimestamp ? 3 : 0);
}

/** Conditions under which the boundary moved: clock skew. */
function skewConditions(result: TtlStoreResult, ttlMs: number): { figure: string; conditions: string[] } {
  if (!result.skew?.applicable) return { figure: result.skew ? `skew: n/a (${result.skew.reason})` : '', conditions: [] };
  const bySkew = new Map<number, TtlProbe[]>();
  for (const probe of result.skew.cases) bySkew.set(probe.callbackSkewMs, [...(bySkew.get(probe.callbackSkewMs) ?? []), probe]);
  const figures: string[] = [];
  const moved: string[] = [];
  for (const [skew, probes] of bySkew) {
    figures.push(`callback clock ${signed(skew)}: ${probes.map((p) => `${minutes(p.advancedMs)} ${said(p)}`).join(', ')}`);
    const wrong = probes.filter((p) => told(p) && accepted(p) !== p.advancedMs <= ttlMs);
    if (wrong.length === 0) continue;
    const how = wrong.map((p) => `${accepted(p) ? 'accepted' : 'refused'} at ${minutes(p.advancedMs)}`).join(', ');
    moved.push(`${signed(skew)}: ${how}, so the TTL is in effect ≈ ${minutes(ttlMs - skew)}`);
  }
  const conditions = moved.length === 0 ? [] : [`the tool and callback processes' clocks agree (callback clock ${moved.join('; ')})`];
  return { figure: figures.join('; '), conditions };
}

function futureConditions(result: TtlStoreResult): { figure: string; conditions: string[] } {
  const future = result.futureTimestamp;
  if (!future) return { figure: '', conditions: [] };
  const ahead = minutes(future.aheadMs);
  const parts = [
    `session stamped ${ahead} ahead: ${said(future.callbackAfter20Min)} 20 min later${future.heldAfter20Min === undefined ? '' : future.heldAfter20Min ? ' (still in the file)' : ' (gone from the file)'}, ${said(future.callbackPastTimestampPlusTtl)} 16 min past its timestamp`,
  ];
  const conditions: string[] = [];
  if (accepted(future.callbackAfter20Min)) {
    conditions.push(`no process stores a session with its clock ahead (one stamped ${ahead} ahead was still accepted 20 min later: it lives until its timestamp + 15 min)`);
  }
  if (future.liveSessionSurvivedSkewedPut === false) {
    parts.push("that process's put deleted a live session stamped by a correct clock");
    conditions.push(`no process's clock runs ahead (a put from a clock ${ahead} ahead deleted the other live sessions)`);
  }
  return { figure: parts.join('; '), conditions };
}

function cleanupFigure(result: TtlStoreResult): string {
  const cleanup = result.cleanup;
  if (!cleanup) return '';
  if (!cleanup.observable) return `cleanup: not observable (${cleanup.reason})`;
  const sizes = cleanup.rounds.map((round) => `${round.bytes} B`).join(' → ');
  const { beforeCleanupPut: before, afterCleanupPut: after } = cleanup;
  return (
    `cleanup: file ${sizes} over ${cleanup.rounds.length} rounds of ${cleanup.rounds[0]?.puts ?? 0} sessions ${minutes(cleanup.advancedMsBetweenRounds)} apart; ` +
    `${before.expiredStillInFile} expired sessions stayed in the file until the next start_oauth, then ${after.expiredStillInFile} of ${after.expiredTotal} (${after.bytes} B)`
  );
}

/** One boundary probe as the figure says it: accepted, refused with the target's words, or unknown with why. */
function probeFigure(probe: TtlProbe): string {
  const verdict = probeVerdict(probe);
  const at = minutes(probe.advancedMs);
  if (verdict.kind === 'refused') return `${at} refused ${quoteRefusal(probe)}`;
  if (verdict.kind === 'unknown') return `${at} unknown (${verdict.why})`;
  return verdict.evidence.startsWith('success page') ? `${at} accepted` : `${at} accepted (${verdict.evidence})`;
}

function boundaryFigure(result: TtlStoreResult): string {
  const b = result.boundary!;
  return `${probeFigure(b.before)}, ${probeFigure(b.after)}`;
}

export function claimC6(result: TtlResult, store = 'json-file'): ClaimRow {
  const base = {
    id: 'C6',
    claim: '"15min TTL"',
    measured: `a virtual clock shared by the processes (preloaded): callbacks at 14:59 and 15:01 after start_oauth; the callback process's clock ±2 min off the tool process's; expired sessions and the file after later puts; a session stamped in the future (store judged: ${store})`,
    command: result.quick ? 'npm run repro' : 'npm run bench',
    quick: result.quick,
    reads: { stores: [store] },
  };
  const judged = result.stores.find((s) => s.store === store);
  if (!judged || judged.error || !judged.boundary) {
    const why = !judged ? `store ${store} was not measured` : (judged.error ?? 'the boundary was not measured');
    return { ...base, figure: '–', samples: '0', verdict: 'unknown', conditions: why };
  }
  const others = result.stores
    .filter((s) => s !== judged && s.boundary)
    .map((s) => `${s.store} (${s.topology}): ${boundaryFigure(s)}`);
  const skew = skewConditions(judged, result.ttlMs);
  const future = futureConditions(judged);
  const figure = [
    `${store} (${judged.topology}): ${boundaryFigure(judged)}`,
    skew.figure,
    future.figure,
    cleanupFigure(judged),
    ...others,
  ]
    .filter(Boolean)
    .join('; ');
  const samples = result.stores.map((s) => `${countFlows(s)} flows + ${storedOnly(s)} sessions stored only (${s.store})`).join(', ');

  const boundary = boundaryVerdict(judged.boundary);
  if (boundary.kind === 'wrong') return { ...base, figure, samples, verdict: 'does not hold' };
  if (boundary.kind === 'unknown') return { ...base, figure, samples, verdict: 'unknown', conditions: boundary.why };
  const conditions = [...skew.conditions, ...future.conditions];
  if (conditions.length === 0) return { ...base, figure, samples, verdict: 'holds' };
  return { ...base, figure, samples, verdict: 'holds only under stated conditions', conditions: conditions.join('; ') };
}

/**
 * The 15-minute boundary alone: right (14:59 accepted, 15:01 refused), wrong
 * (either the other way), or unknown (a probe that could not be told). The
 * TTL grade of every store can be read with the same rule.
 */
export function boundaryVerdict(boundary: { before: TtlProbe; after: TtlProbe }): { kind: 'right' } | { kind: 'wrong'; why: string } | { kind: 'unknown'; why: string } {
  const { before, after } = boundary;
  const early = probeVerdict(before);
  const late = probeVerdict(after);
  if (early.kind === 'refused') return { kind: 'wrong', why: `refused at ${minutes(before.advancedMs)}, inside the TTL` };
  if (late.kind === 'accepted') return { kind: 'wrong', why: `accepted at ${minutes(after.advancedMs)}, past the TTL (${late.evidence})` };
  const unknown = [early, late].flatMap((v, i) => (v.kind === 'unknown' ? [`${minutes((i === 0 ? before : after).advancedMs)}: ${v.why}`] : []));
  if (unknown.length > 0) return { kind: 'unknown', why: `the boundary could not be told (${unknown.join('; ')})` };
  return { kind: 'right' };
}
