/** The hostile-input rows of "Reliability and security": one per case file group and store, from the judged cases. */
import type { CaseOutcome, ReliabilityRow } from '../measure-context.ts';
import { notRunCell } from '../setup-error.ts';
import { reproCommand } from '../measure-context.ts';
import { judgeCase } from './judge-hostile-case.ts';
import { CASE_TIMEOUT_MS, type HostileCaseResult, type HostileInputResult } from './measure-hostile-input.ts';


/** Status, the target's words and what the provider saw: the status is reported, never judged. */
function describeAnswer(r: HostileCaseResult): string {
  if (r.status === null) return `no answer: ${r.error ?? ''}`;
  const label = r.outcomeLabel ? ` ${r.outcomeLabel}` : '';
  const words = r.message ? ` «${r.message.length > 80 ? `${r.message.slice(0, 80)}…` : r.message}»` : ' (no page)';
  const own = r.page?.refusedAs ? ` (its ${r.page.refusedAs} page)` : '';
  const provider = r.provider?.readable && r.provider.statesKnown > 0 ? `; provider: ${r.provider.detail}` : '';
  return `${r.status}${label}${words}${own}, ${r.durationMs} ms${provider}`;
}

/**
 * Redemptions as evidence, per store, from the provider's records of the
 * states the hostile requests carried: no code is redeemed for a callback
 * whose state the store did not hold (every hostile case is one); and the
 * case files' replays of a callback already used neither redeem again nor
 * make the provider revoke the user's tokens (a reused code signs them out).
 */
export function redemptionRows(result: HostileInputResult, notRun: (store: string) => ReliabilityRow['perStore'][string]): ReliabilityRow[] {
  const judge = (store: string, pick: (c: HostileCaseResult) => boolean, what: string): ReliabilityRow['perStore'][string] => {
    const batteries = result.batteries.filter((b) => b.store === store);
    if (batteries.length === 0) return notRun(store);
    const cases = batteries.flatMap((b) => b.cases.filter(pick).map((c) => ({ topology: b.topology, c })));
    const seen = cases.filter(({ c }) => c.provider?.readable && c.provider.statesKnown > 0);
    const unread = cases.filter(({ c }) => !c.provider || !c.provider.readable);
    const bad = seen.filter(({ c }) => c.provider?.readable && (c.provider.newRedemptions > 0 || (c.provider.newlyRevoked ?? 0) > 0));
    if (bad.length) return { outcome: 'fail', detail: bad.map(({ topology, c }) => `${topology}: ${c.caseId}: ${c.provider?.readable ? c.provider.detail : ''}`).join(' | ') };
    if (unread.length) return { outcome: 'unknown', detail: `the provider's record of ${unread.length} case(s) could not be read (${unread.map(({ c }) => c.caseId).slice(0, 3).join(', ')})` };
    if (seen.length === 0) return { outcome: 'n/a', detail: `no ${what} carried a state the provider issued: nothing to redeem` };
    return { outcome: 'pass', detail: `${seen.length} ${what} carried a state the provider issued: no code redeemed, no user's tokens revoked` };
  };
  const replay = (c: HostileCaseResult) => c.caseId.includes('replayed');
  return [
    {
      id: 'security/no-redemption-without-state',
      group: 'security',
      what: "no code is redeemed at the provider for a callback whose state the store did not hold (the provider's records of the states every hostile request carried)",
      perStore: Object.fromEntries(result.stores.map((store) => [store, judge(store, () => true, 'hostile requests')])),
      command: reproCommand(result.quick),
    },
    {
      id: 'security/replay-neither-redeems-nor-revokes',
      group: 'security',
      what: "a replayed callback URL neither redeems its code again nor makes the provider revoke the user's tokens (the provider's records of the replayed flow)",
      perStore: Object.fromEntries(result.stores.map((store) => [store, judge(store, replay, 'replayed callbacks')])),
      command: reproCommand(result.quick),
    },
  ];
}

export function hostileRows(result: HostileInputResult): ReliabilityRow[] {
  const rows: ReliabilityRow[] = [];
  const byStore = (store: string) => result.batteries.filter((b) => b.store === store);
  const notRun = (store: string) => notRunCell(result.errors.map((e) => ({ ...e, error: `${e.topology}: ${e.error}` })), store, 'no battery');

  for (const caseId of result.caseIds) {
    const perStore: ReliabilityRow['perStore'] = {};
    let what = caseId;
    for (const store of result.stores) {
      const parts = byStore(store).flatMap((b) => {
        const r = b.cases.find((c) => c.caseId === caseId);
        return r ? [{ topology: b.topology, r, judged: judgeCase(r) }] : [];
      });
      if (parts.length === 0) {
        perStore[store] = notRun(store);
        continue;
      }
      const first = parts[0]!.r;
      what = `${caseId.split('/')[1]}: ${first.method} ${first.template} → refused, nothing echoed unescaped (the case file's answer: ${first.expectedStatus} ${first.expectedOutcome})`;
      const outcomes = parts.map((p) => p.judged.outcome);
      const outcome: CaseOutcome = outcomes.includes('fail') ? 'fail' : outcomes.every((o) => o === 'pass') ? 'pass' : 'unknown';
      const detail = parts
        .map((p) => `${parts.length > 1 ? `${p.topology}: ` : ''}${describeAnswer(p.r)}${p.judged.problems.length ? `; ${p.judged.problems.join('; ')}` : '; no unescaped echo'}`)
        .join(' | ');
      perStore[store] = { outcome, detail };
    }
    rows.push({ id: `hostile/${caseId}`, group: 'hostile-input', what, perStore, command: reproCommand(result.quick) });
  }

  const survive: ReliabilityRow['perStore'] = {};
  const intact: ReliabilityRow['perStore'] = {};
  for (const store of result.stores) {
    const batteries = byStore(store);
    if (batteries.length === 0) {
      survive[store] = notRun(store);
      intact[store] = notRun(store);
      continue;
    }
    const dead = batteries.flatMap((b) => {
      const bad = b.cases.filter((c) => !c.callbackAlive || !c.toolAlive || c.healthOk === false).map((c) => c.caseId);
      const endBad = !b.end.toolAlive || !b.end.callbackAlive || b.end.healthOk === false || !b.end.toolAnswersMcp;
      return bad.length || endBad ? [`${b.topology}: down after ${bad[0] ?? 'the battery'}`] : [];
    });
    const hangs = batteries.flatMap((b) => b.cases.filter((c) => c.status === null).map((c) => `${b.topology}: ${c.caseId} (${c.error})`));
    const total = batteries.reduce((n, b) => n + b.cases.length, 0);
    survive[store] = {
      outcome: dead.length === 0 && hangs.length === 0 ? 'pass' : 'fail',
      detail:
        dead.length === 0 && hangs.length === 0
          ? `${total} hostile requests: every one answered, tool and callback pids (${batteries.map((b) => `${b.pids.tool}/${b.pids.callback}`).join(', ')}) alive throughout, /health ok after each, MCP answers at the end`
          : [...dead, ...hangs.map((h) => `no answer: ${h}`)].join('; '),
    };

    // Judged where the store works at all: a split-process battery whose control failed says nothing about intactness.
    const judged = batteries.filter((b) => b.control.outcome === 'success');
    if (judged.length === 0) {
      intact[store] = {
        outcome: 'unknown',
        detail: `control flow failed in every topology tried (${batteries.map((b) => `${b.topology}: ${b.control.outcome}`).join(', ')}): no working session to keep`,
      };
    } else {
      const lost = judged.flatMap((b) => b.liveFlows.filter((f) => f.outcome !== 'success').map((f) => `${b.topology}: ${f.outcome} (${f.message})`));
      const notes = batteries.filter((b) => b.control.outcome !== 'success').map((b) => `${b.topology} not judged: control flow ${b.control.outcome}`);
      intact[store] = {
        outcome: lost.length === 0 ? 'pass' : 'fail',
        detail: [
          ...judged.map((b) => `${b.topology}: ${b.liveFlows.filter((f) => f.outcome === 'success').length}/${b.liveFlows.length} flows started before the battery completed after it`),
          ...lost.map((l) => `lost: ${l}`),
          ...notes,
        ].join('; '),
      };
    }
  }
  rows.push({
    id: 'hostile/processes-survive',
    group: 'hostile-input',
    what: `every hostile case in a row against one deployment: no crash, no hang (answer within ${CASE_TIMEOUT_MS / 1000} s, or 10 × the p99 of its earlier answers on a slower machine), health endpoint after each`,
    perStore: survive,
    command: reproCommand(result.quick),
  });
  rows.push({
    id: 'hostile/other-sessions-intact',
    group: 'hostile-input',
    what: 'flows started before the battery (their states used in duplicate, suffixed and error= cases) complete after it',
    perStore: intact,
    command: reproCommand(result.quick),
  });
  rows.push(...redemptionRows(result, notRun));
  return rows;
}
