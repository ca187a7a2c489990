/**
 * What the caller was told, from a driver's events: which sessions were
 * committed (put acknowledged, not consumed since), which were consumed
 * (take acknowledged with a session), and which were in flight when the
 * process died (invoked, never answered: either outcome is legitimate, so
 * they count neither as lost nor as resurrected).
 */
import type { DriverEvent } from './driver-protocol.ts';

export interface Acknowledged {
  committed: Set<number>;
  taken: Set<number>;
  inFlight: Set<number>;
}

export function acknowledgedBy(events: readonly DriverEvent[]): Acknowledged {
  const committed = new Set<number>();
  const taken = new Set<number>();
  const inFlight = new Set<number>();
  const answered = new Set<number>();
  for (const event of events) if (event.type === 'ok' || event.type === 'fail') answered.add(event.op);
  for (const event of events) {
    if (event.type !== 'invoke' && event.type !== 'ok') continue;
    if (event.index === undefined) continue;
    if (event.type === 'invoke' && !answered.has(event.op) && (event.f === 'put' || event.f === 'take')) {
      inFlight.add(event.index);
      committed.delete(event.index);
    }
    if (event.type !== 'ok') continue;
    if (event.f === 'put') committed.add(event.index);
    if (event.f === 'take' && (event.value as { found?: boolean } | undefined)?.found) {
      committed.delete(event.index);
      taken.add(event.index);
    }
  }
  return { committed, taken, inFlight };
}

export interface Loss {
  committed: number;
  lost: number[];
  /** Consumed (single use) and yet readable again: a replayable state. */
  resurrected: number[];
}

export function lossOf(acknowledged: Acknowledged, found: readonly number[]): Loss {
  const present = new Set(found);
  return {
    committed: acknowledged.committed.size,
    lost: [...acknowledged.committed].filter((index) => !present.has(index)).sort((a, b) => a - b),
    resurrected: [...acknowledged.taken].filter((index) => present.has(index)).sort((a, b) => a - b),
  };
}
