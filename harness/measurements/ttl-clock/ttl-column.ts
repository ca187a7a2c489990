/**
 * The TTL column, judged per store from that store's own probes (C6's
 * measurement's record): the 15-minute boundary, the callbacks sent with the
 * callback process's clock off the tool process's, and a session stamped
 * by a clock running ahead. C6 itself judges only the write-up's store;
 * here every store is judged on the same probes, so a store whose expiry
 * no other process's clock can move (one clock decides) can pass, and one
 * whose TTL moves with the skew is conditional, with the conditions.
 *
 * Pure: a store's TtlStoreResult in, a grade out.
 */
import { minutes, signed } from './clock-text.ts';
import { boundaryVerdict } from './claim-c6.ts';
import type { TtlProbe } from './flow-across.ts';
import { accepted, probeVerdict, quoteRefusal } from './probe-verdict.ts';
import type { TtlStoreResult } from './ttl-result.ts';

export interface TtlGrade {
  grade: 'pass' | 'conditional' | 'fail' | 'not measured';
  detail: string;
  /** Probes whose outcome was right, of those that reached a callback. */
  passed: number;
  judged: number;
}


/** A probe is right when its callback was accepted exactly while the state was younger than the TTL by the clock that stamped it. */
const right = (probe: TtlProbe, ttlMs: number) => accepted(probe) === probe.advancedMs <= ttlMs;
/** A probe counts when what it did can be told (accepted or refused, by page and provider evidence); one that cannot is left out, never taken for a refusal. */
const reached = (probe: TtlProbe | undefined): probe is TtlProbe => probe !== undefined && probeVerdict(probe).kind !== 'unknown';

export function judgeTtlColumn(result: TtlStoreResult | undefined, ttl: { ttlMs: number }): TtlGrade {
  if (!result) return { grade: 'not measured', detail: 'no TTL measurement for this store', passed: 0, judged: 0 };
  if (result.error || !result.boundary) return { grade: 'not measured', detail: result.error?.split('\n')[0] ?? 'the boundary was not measured', passed: 0, judged: 0 };
  const { before, after } = result.boundary;
  const skewProbes = result.skew?.applicable ? result.skew.cases.filter(reached) : [];
  const future = result.futureTimestamp;
  // The session stamped a day ahead, 20 min after it was stored: right when refused.
  const futureProbes = [future?.callbackAfter20Min].filter(reached);
  const judged = [before, after].filter(reached).length + skewProbes.length + futureProbes.length;
  const passed =
    [before, after].filter((p) => reached(p) && right(p, ttl.ttlMs)).length +
    skewProbes.filter((p) => right(p, ttl.ttlMs)).length +
    futureProbes.filter((p) => probeVerdict(p).kind === 'refused').length;
  const counts = `${passed}/${judged} probes right`;

  // The rule C6 uses, whatever words the server refuses with: accepted before the TTL, refused after it.
  const boundary = boundaryVerdict(result.boundary);
  if (boundary.kind !== 'right') {
    const said = (p: TtlProbe) => {
      const verdict = probeVerdict(p);
      return verdict.kind === 'refused' ? `refused${quoteRefusal(p) ? ` (${quoteRefusal(p)})` : ''}` : verdict.kind;
    };
    const grade = boundary.kind === 'wrong' ? 'fail' : 'not measured';
    return { grade, detail: `${counts}; ${boundary.kind === 'wrong' ? 'the boundary is wrong' : boundary.why}: ${minutes(before.advancedMs)} ${said(before)}, ${minutes(after.advancedMs)} ${said(after)}`, passed, judged };
  }

  const conditions: string[] = [];
  const bySkew = new Map<number, TtlProbe[]>();
  for (const probe of skewProbes) bySkew.set(probe.callbackSkewMs, [...(bySkew.get(probe.callbackSkewMs) ?? []), probe]);
  const moved = [...bySkew].flatMap(([skew, probes]) => {
    const wrong = probes.filter((p) => !right(p, ttl.ttlMs));
    return wrong.length ? [`${signed(skew)}: ${wrong.map((p) => `${accepted(p) ? 'accepted' : 'refused'} at ${minutes(p.advancedMs)}`).join(', ')}, TTL in effect ≈ ${minutes(ttl.ttlMs - skew)}`] : [];
  });
  if (moved.length) conditions.push(`the tool and callback processes' clocks agree (callback clock ${moved.join('; ')})`);
  if (future && reached(future.callbackAfter20Min) && accepted(future.callbackAfter20Min)) {
    conditions.push(`no process stores a session with its clock ahead (one stamped ${minutes(future.aheadMs)} ahead was accepted 20 min later)`);
  }
  if (future?.liveSessionSurvivedSkewedPut === false) conditions.push("no process's clock runs ahead (its put deleted other processes' live sessions)");

  const skewNote = result.skew?.applicable
    ? `skew ±${[...bySkew.keys()].map((k) => minutes(Math.abs(k))).filter((v, i, all) => all.indexOf(v) === i).join('/')} ${moved.length ? 'moved the TTL' : 'did not move the TTL'}`
    : `skew not probed (${result.skew?.reason ?? 'not measured'})`;
  if (conditions.length) return { grade: 'conditional', detail: `${counts}; holds only if ${conditions.join('; ')}`, passed, judged };
  const futureNote = futureProbes.length ? 'a session stamped ahead expired on time' : 'no session stamped ahead was probed';
  return { grade: 'pass', detail: `${counts}: boundary at ${minutes(ttl.ttlMs)}, ${skewNote}, ${futureNote}`, passed, judged };
}
