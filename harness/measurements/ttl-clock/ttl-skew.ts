/**
 * Clock skew between the two processes: the callback process's clock ahead
 * of or behind the tool process's, callbacks at a few minutes short of (and
 * past) the TTL by the tool process's clock.
 */
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment } from './clock-deployment.ts';
import { flowAcross } from './flow-across.ts';
import type { SkewResult } from './ttl-result.ts';
import { MINUTE_MS } from './virtual-clock.ts';

export const SKEWS_MS = [2 * MINUTE_MS, -2 * MINUTE_MS];
export const CALLBACKS_AT_MS = [13 * MINUTE_MS, 14 * MINUTE_MS, 16 * MINUTE_MS];

export async function probeSkew(cd: ClockDeployment, target: TargetDescription, skews = SKEWS_MS, at = CALLBACKS_AT_MS): Promise<SkewResult> {
  if (!cd.split) return { applicable: false, reason: 'tool and callback run in one process, which has one clock' };
  const callbackPid = cd.deployment.callbackPid;
  const cases = [];
  try {
    for (const skew of skews) {
      cd.clock.setSkew(callbackPid, skew);
      for (const advance of at) cases.push(await flowAcross(cd, target, advance, { callbackSkewMs: skew }));
    }
  } finally {
    cd.clock.setSkew(callbackPid, 0);
  }
  return { applicable: true, cases };
}
