/**
 * Did a hostile request make the server redeem a code it had no business
 * redeeming? The provider (the run's mock) records every redemption against
 * the authorization that issued the code, found by its state. Before and
 * after a case, the redemptions of every state the request carries are
 * counted; any new one means the server went to the token endpoint for a
 * state its store did not hold (another user's flow, a callback already used).
 */

/** The provider's record, as far as this check reads it (MockAtlassian). */
export interface RedemptionRecords {
  flows(filter: { state: string }): Promise<readonly { redemptions: readonly unknown[]; redemptionsDropped?: number }[]>;
}

/** What a state looks like (43 base64url characters from 32 bytes, give or take): only those are looked up. */
const STATE_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/** Every value the request carries that could be a state: query and form body, any parameter name. */
export function carriedStates(target: string, body?: string): string[] {
  const values = new Set<string>();
  const q = target.indexOf('?');
  const lists = [q === -1 ? '' : target.slice(q + 1).split('#')[0]!, body ?? ''];
  for (const list of lists) for (const [, value] of new URLSearchParams(list)) if (STATE_SHAPE.test(value)) values.add(value);
  return [...values];
}

export type RedemptionCount = { readable: true; byState: Record<string, number> } | { readable: false; why: string };

export async function countRedemptions(provider: RedemptionRecords, states: readonly string[]): Promise<RedemptionCount> {
  const byState: Record<string, number> = {};
  try {
    for (const state of states) {
      const records = await provider.flows({ state });
      if (records.length > 0) byState[state] = records.reduce((sum, r) => sum + r.redemptions.length + (r.redemptionsDropped ?? 0), 0);
    }
    return { readable: true, byState };
  } catch (error) {
    return { readable: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** What the case did at the provider: redemptions made during it, per state the provider knows. */
export type ProviderEffect =
  | { readable: true; statesKnown: number; newRedemptions: number; detail: string }
  | { readable: false; why: string };

export function providerEffect(before: RedemptionCount, after: RedemptionCount): ProviderEffect {
  if (!before.readable) return before;
  if (!after.readable) return after;
  const states = Object.keys(after.byState);
  const grown = states.filter((state) => (after.byState[state] ?? 0) > (before.byState[state] ?? 0));
  const newRedemptions = grown.reduce((sum, state) => sum + after.byState[state]! - (before.byState[state] ?? 0), 0);
  const detail =
    states.length === 0
      ? 'no state it carried was issued by the provider'
      : grown.length === 0
        ? `no redemption for the ${states.length} state(s) the provider issued`
        : grown.map((state) => `state ${state.slice(0, 8)}…: ${before.byState[state] ?? 0} → ${after.byState[state]} redemptions`).join(', ');
  return { readable: true, statesKnown: states.length, newRedemptions, detail };
}
