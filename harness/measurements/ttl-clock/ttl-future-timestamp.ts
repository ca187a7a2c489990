/**
 * A session stamped in the future (a tool process whose clock is a day
 * ahead): is it dropped 15 minutes after it was stored, or kept until the
 * clock reaches its timestamp? And what does that skewed process's cleanup
 * do to everyone else's sessions?
 */
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment } from './clock-deployment.ts';
import { completeNow, startOnly } from './flow-across.ts';
import { sessionFile, snapshotFile } from './state-holders.ts';
import type { FutureTimestampResult } from './ttl-result.ts';
import { MINUTE_MS } from './virtual-clock.ts';

export const DAY_MS = 24 * 60 * MINUTE_MS;
const LATER_MS = 20 * MINUTE_MS;
const PAST_TTL_MS = 16 * MINUTE_MS;

export async function probeFutureTimestamp(cd: ClockDeployment, target: TargetDescription, aheadMs = DAY_MS): Promise<FutureTimestampResult> {
  const hostTmp = cd.deployment.toolHostTmp;
  const start = async () => {
    const started = await startOnly(cd, target);
    if (!started) throw new Error('start_oauth failed (see the history)');
    return started;
  };
  const live = await start();
  cd.clock.setSkew(cd.deployment.toolPid, aheadMs);
  let first;
  let second;
  try {
    first = await start();
    second = await start();
  } finally {
    cd.clock.setSkew(cd.deployment.toolPid, 0);
  }
  const file = sessionFile(hostTmp, [live.state, first.state, second.state]).file?.file;
  const liveSurvived = file ? snapshotFile(file, [live.state]).present.length === 1 : undefined;

  await cd.clock.advanceBy(LATER_MS);
  await start(); // a put by a correct clock: the moment cleanup runs
  const heldAfter20Min = file ? snapshotFile(file, [first.state]).present.length === 1 : undefined;
  const callbackAfter20Min = await completeNow(cd, target, first, LATER_MS);

  await cd.clock.advanceBy(aheadMs - LATER_MS + PAST_TTL_MS);
  await start();
  const heldPastTimestampPlusTtl = file ? snapshotFile(file, [second.state]).present.length === 1 : undefined;
  const callbackPastTimestampPlusTtl = await completeNow(cd, target, second, aheadMs + PAST_TTL_MS);

  return {
    aheadMs,
    ...(liveSurvived === undefined ? {} : { liveSessionSurvivedSkewedPut: liveSurvived }),
    ...(heldAfter20Min === undefined ? {} : { heldAfter20Min }),
    callbackAfter20Min,
    ...(heldPastTimestampPlusTtl === undefined ? {} : { heldPastTimestampPlusTtl }),
    callbackPastTimestampPlusTtl,
  };
}
