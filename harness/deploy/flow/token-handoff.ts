/**
 * The last step of a flow: did *this flow's* token reach the tool process?
 * The tool's token tool shows who it is signed in as; the mock says which
 * identity it issued to the authorization that carried this flow's state.
 * Only when the two agree is the hand-off attributed to the flow. A tool that
 * still shows an older sign-in (a lost token write) fails the hand-off even
 * though some token is stored; a target with no token tool gets "not
 * observable", never a pass.
 */
import type { History, Operation } from '../../core/history.ts';
import type { TargetDescription } from '../target/target-description.ts';
import type { FlowEndpoints, FlowEvidence, StartedFlow } from './flow-endpoints.ts';

export type { FlowEvidence };
import { statePrefix } from './state-prefix.ts';

export type HandoffVerdict =
  | { kind: 'attributed'; identity: string }
  /** Another flow's token, from a callback that ended after this one's began: one user, one token slot, the newer wins. */
  | { kind: 'superseded'; identity: string; byFlow: number }
  | { kind: 'failed'; why: string }
  | { kind: 'not-observable'; why: string };

/**
 * Pure: the tool showed `shown`; the provider issued `own` to this flow, and
 * `shownState` (if known) to the flow whose identity is shown. `history` gives
 * when each flow's callback ended.
 */
export function judgeHandoff(flow: number, shown: string | undefined, own: readonly string[] | undefined, shownState: string | undefined, history: readonly Operation[]): HandoffVerdict {
  if (!own) return { kind: 'not-observable', why: "the provider has no record of this flow's authorization" };
  if (shown === undefined) return { kind: 'failed', why: 'the token tool answered without an identity' };
  if (own.includes(shown)) return { kind: 'attributed', identity: shown };
  const other = shownState === undefined ? undefined : flowOfState(history, shownState);
  if (other !== undefined && other !== flow) {
    const ownCallbackBegan = history.find((op) => op.flow === flow && op.f === 'callback' && op.type === 'invoke')?.time ?? Infinity;
    const otherCallbackBegan = history.find((op) => op.flow === other && op.f === 'callback' && op.type === 'invoke')?.time;
    // Still in flight counts as "after": its token can be stored before its page reaches the user agent.
    const otherCallbackEnded = history.find((op) => op.flow === other && op.f === 'callback' && (op.type === 'ok' || op.type === 'fail'))?.time ?? Infinity;
    if (otherCallbackBegan !== undefined && otherCallbackEnded > ownCallbackBegan) return { kind: 'superseded', identity: shown, byFlow: other };
    return { kind: 'failed', why: `the tool process still shows flow ${other}'s sign-in (${shown.slice(0, 24)}), whose callback ended before this one began: this flow's token did not arrive` };
  }
  return { kind: 'failed', why: `the tool process shows a sign-in (${shown.slice(0, 24)}) that is not this flow's: this flow's token did not arrive` };
}

function flowOfState(history: readonly Operation[], state: string): number | undefined {
  const prefix = statePrefix(state);
  return history.find((op) => op.f === 'start_oauth' && op.type === 'ok' && (op.value as { state?: string } | undefined)?.state === prefix)?.flow;
}

/** Calls the token tool and records the verdict: ok (attributed or superseded), fail, or info (not observable). */
export async function handOff(endpoints: FlowEndpoints, target: TargetDescription, history: History, started: StartedFlow): Promise<boolean> {
  const { flow } = started;
  const process = `tool#${endpoints.toolPid}`;
  if (!target.tokenTool) {
    history.record({ type: 'info', f: 'token-handoff', process, flow, value: { observable: false, why: 'the target has no tool that shows who it is signed in as' } });
    return true;
  }
  const tokenTool = target.tokenTool;
  try {
    const verdict = await history.perform(
      { f: 'token-handoff', process, flow },
      async () => {
        const result = await endpoints.tool.call(tokenTool.tool);
        if (result.isError) throw new Error(result.text);
        const shown = tokenTool.identityFrom(result);
        const own = await endpoints.evidence.identityOfState(started.state);
        const shownState = shown !== undefined && own && !own.includes(shown) ? await endpoints.evidence.stateOfIdentity(shown) : undefined;
        const judged = judgeHandoff(flow, shown, own, shownState, history.ops);
        if (judged.kind === 'failed') throw new Error(judged.why);
        return judged;
      },
      (judged) => ({ handoff: judged.kind, ...('byFlow' in judged ? { byFlow: judged.byFlow } : {}), ...('why' in judged ? { why: judged.why } : {}) }),
    );
    return verdict.kind !== 'not-observable';
  } catch {
    return false;
  }
}
