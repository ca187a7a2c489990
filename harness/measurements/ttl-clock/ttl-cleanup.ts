/**
 * Does TTL cleanup keep the session file bounded? Rounds of sessions that
 * are never completed (abandoned logins), the clock moved past the TTL
 * between rounds, then one more session: the expired ones should be gone
 * and the file should not grow round after round.
 */
import path from 'node:path';
import type { TargetDescription } from '../../deploy/target/target-description.ts';
import type { ClockDeployment } from './clock-deployment.ts';
import { startOnly } from './flow-across.ts';
import { sessionFile, snapshotFile } from './state-holders.ts';
import type { CleanupResult, CleanupRound } from './ttl-result.ts';
import { MINUTE_MS } from './virtual-clock.ts';

export interface CleanupPlan {
  rounds: number;
  putsPerRound: number;
  advanceMs: number;
}

export const QUICK_CLEANUP: CleanupPlan = { rounds: 3, putsPerRound: 5, advanceMs: 16 * MINUTE_MS };
export const FULL_CLEANUP: CleanupPlan = { rounds: 5, putsPerRound: 50, advanceMs: 16 * MINUTE_MS };

function notObservable(opaque: readonly string[]): string {
  if (opaque.length > 0) {
    const names = opaque.map((file) => path.basename(file)).join(', ');
    return `the states are in binary files (${names}) whose bytes keep deleted records, so the store's cleanup cannot be judged from outside`;
  }
  return "no file under the host's /tmp holds the stored states: the store keeps them elsewhere, so its cleanup cannot be seen from outside";
}

async function putSessions(cd: ClockDeployment, target: TargetDescription, count: number): Promise<string[]> {
  const states: string[] = [];
  for (let i = 0; i < count; i++) {
    const started = await startOnly(cd, target);
    if (!started) throw new Error('start_oauth failed while filling the session file (see the history)');
    states.push(started.state);
  }
  return states;
}

export async function probeCleanup(cd: ClockDeployment, target: TargetDescription, plan: CleanupPlan = QUICK_CLEANUP): Promise<CleanupResult> {
  const hostTmp = cd.deployment.toolHostTmp;
  const expired: string[] = [];
  const rounds: CleanupRound[] = [];
  let file: string | undefined;
  for (let round = 0; round < plan.rounds; round++) {
    const states = await putSessions(cd, target, plan.putsPerRound);
    if (!file) {
      const search = sessionFile(hostTmp, states);
      file = search.file?.file;
      if (!file) return { observable: false, reason: notObservable(search.opaque) };
    }
    const snapshot = snapshotFile(file, states);
    rounds.push({ puts: states.length, ownStatesInFile: snapshot.present.length, bytes: snapshot.bytes, ...(snapshot.jsonKeys === undefined ? {} : { sessionsInFile: snapshot.jsonKeys }) });
    expired.push(...states);
    await cd.clock.advanceBy(plan.advanceMs);
  }
  const waiting = snapshotFile(file!, expired);
  const [fresh] = await putSessions(cd, target, 1);
  const after = snapshotFile(file!, [...expired, fresh!]);
  return {
    observable: true,
    file: file!,
    advancedMsBetweenRounds: plan.advanceMs,
    rounds,
    beforeCleanupPut: { expiredStillInFile: waiting.present.length, bytes: waiting.bytes },
    afterCleanupPut: {
      expiredStillInFile: after.present.filter((state) => state !== fresh).length,
      expiredTotal: expired.length,
      freshInFile: after.present.includes(fresh!),
      bytes: after.bytes,
      ...(after.jsonKeys === undefined ? {} : { sessionsInFile: after.jsonKeys }),
    },
  };
}
