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
  flows(filter: { state: string }): Promise<readonly { redemptions: readonly unknown[]; redemptionsDropped?: number; revoked?: unknown }[]>;
}

/** What a state could look like (base64url-ish, 8 characters and up: a weak 8-byte state is still a state the provider can name): only those are looked up. */
const STATE_SHAPE = /^[A-Za-z0-9_-]{8,200}$/;

/** Every value the request carries that could be a state: query and form body, any parameter name. */
export function carriedStates(target: string, body?: string): string[] {
  const values = new Set<string>();
  const q = target.indexOf('?');
  const lists = [q === -1 ? '' : target.slice(q + 1).split('#')[0]!, body ?? ''];
  for (const list of lists) for (const [, value] of new URLSearchParams(list)) if (STATE_SHAPE.test(value)) values.add(value);
  return [...values];
}

/** Redemptions per state the provider issued, and the states whose tokens it has revoked (a reused code signs its user out). */
export type RedemptionCount = { readable: true; byState: Record<string, number>; revoked?: string[] } | { readable: false; why: string };

export async function countRedemptions(provider: RedemptionRecords, states: readonly string[]): Promise<RedemptionCount> {
  const byState: Record<string, number> = {};
  const revoked: string[] = [];
  try {
    for (const state of states) {
      const records = await provider.flows({ state });
      if (records.length > 0) byState[state] = records.reduce((sum, r) => sum + r.redemptions.length + (r.redemptionsDropped ?? 0), 0);
      if (records.some((r) => r.revoked)) revoked.push(state);
    }
    return { readable: true, byState, revoked };
  } catch (error) {
    return { readable: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** What the case did at the provider: redemptions made during it, per state the provider knows. */
export type ProviderEffect =
  | { readable: true; statesKnown: number; newRedemptions: number; detail: string; /** Flows whose tokens the provider revoked during the case: users signed out by it. */ newlyRevoked?: number }
  | { readable: false; why: string };

export function providerEffect(before: RedemptionCount, after: RedemptionCount): ProviderEffect {
  if (!before.readable) return before;
  if (!after.readable) return after;
  const states = Object.keys(after.byState);
  const grown = states.filter((state) => (after.byState[state] ?? 0) > (before.byState[state] ?? 0));
  const newRedemptions = grown.reduce((sum, state) => sum + after.byState[state]! - (before.byState[state] ?? 0), 0);
  const newlyRevoked = (after.revoked ?? []).filter((state) => !(before.revoked ?? []).includes(state)).length;
  const detail =
    states.length === 0
      ? 'no state it carried was issued by the provider'
      : grown.length === 0
        ? `no redemption for the ${states.length} state(s) the provider issued`
        : grown.map((state) => `state ${state.slice(0, 8)}…: ${before.byState[state] ?? 0} → ${after.byState[state]} redemptions`).join(', ');
  const revokedNote = newlyRevoked ? `; the provider revoked the tokens of ${newlyRevoked} flow(s): their users are signed out` : '';
  return { readable: true, statesKnown: states.length, newRedemptions, detail: `${detail}${revokedNote}`, ...(newlyRevoked ? { newlyRevoked } : {}) };
}
