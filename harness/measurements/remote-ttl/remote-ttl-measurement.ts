/**
 * harness/measurements/remote-ttl/: C6's "15min TTL" read across replicas: a pending authorization at 14:59 and at 15:01 on a virtual clock every replica follows.
 *
 * Publishes, per store, its three flows and their judgement; the report's
 * remote section shows them and reads the write-up's file design from them.
 */
import { defineMeasurement } from '../measurement.ts';
import type { RemoteTtlResult } from './remote-ttl-result.ts';
import { judgeRemoteTtl, type RemoteTtlJudgement } from './remote-ttl-verdict.ts';
import { runRemoteTtl } from './run-remote-ttl.ts';

export interface RemoteTtlPublished extends RemoteTtlResult {
  judged: (RemoteTtlJudgement & { store: string })[];
}

declare module '../published-values.ts' {
  interface PublishedValues {
    /** Per store, a pending authorization's fate at 14:59 and 15:01 through two replicas on one virtual clock, judged. */
    'remote-ttl': RemoteTtlPublished;
  }
}

export const remoteTtlMeasurement = defineMeasurement({
  id: 'c6-remote-ttl',
  // The virtual clock is a Node preload: a replica on another runtime cannot follow it (the target's runtime is declared for the server as a whole, its remote mode included).
  needs: ['remote-server', 'node-runtime'],
  run: (ctx) => runRemoteTtl(ctx),
  check: (recorded: RemoteTtlResult) => ({
    published: { 'remote-ttl': { ...recorded, judged: recorded.stores.map((store) => ({ store: store.store, ...judgeRemoteTtl(store, recorded.ttlMs) })) } },
  }),
});
