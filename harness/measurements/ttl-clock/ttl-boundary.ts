/** The 15-minute boundary: one callback a second before it, one a second after (virtual time). */
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment } from './clock-deployment.ts';
import { flowAcross, type TtlProbe } from './flow-across.ts';

export const TTL_MS = 15 * 60_000;
export const JUST_BEFORE_MS = TTL_MS - 1_000;
export const JUST_AFTER_MS = TTL_MS + 1_000;

export async function probeBoundary(cd: ClockDeployment, target: TargetDescription): Promise<{ before: TtlProbe; after: TtlProbe }> {
  const before = await flowAcross(cd, target, JUST_BEFORE_MS);
  const after = await flowAcross(cd, target, JUST_AFTER_MS);
  return { before, after };
}
