/**
 * Which security rows need more of a target than HTTP, MCP, the mock and the
 * files its processes leave: only the in-process draw of the state generator
 * reads code inside the server (src/'s OAuth manager, beside its store
 * module). Every other row runs on any target. The n/a reason is needs.ts's,
 * so it is worded in one place.
 */
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import { unmetNeed, type Need } from '../needs.ts';

export const SECURITY_ROW_NEEDS: Readonly<Record<string, readonly Need[]>> = {
  'security/state-entropy-in-process': ['store-module'],
};

/** Row id → why it cannot apply to this target; rows absent from the record apply. */
export function securityRowsNotApplicable(target: TargetDescription): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const [row, needs] of Object.entries(SECURITY_ROW_NEEDS)) {
    const why = unmetNeed(needs, target);
    if (why) reasons[row] = why;
  }
  return reasons;
}
