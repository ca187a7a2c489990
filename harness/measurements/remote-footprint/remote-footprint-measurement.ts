/**
 * harness/measurements/remote-footprint/: C5's "~200 bytes per session" read across replicas: the bytes a whole remote flow leaves on the replicas' host.
 *
 * Publishes, per store, the host readings and their judgement; the report's
 * remote section shows them and reads the write-up's file design from them.
 */
import { defineMeasurement } from '../measurement.ts';
import type { RemoteFootprintResult } from './remote-footprint-result.ts';
import { judgeRemoteFootprint, type RemoteFootprintJudgement } from './remote-footprint-verdict.ts';
import { runRemoteFootprint } from './run-remote-footprint.ts';

export interface RemoteFootprintPublished extends RemoteFootprintResult {
  judged: (RemoteFootprintJudgement & { store: string })[];
}

declare module '../published-values.ts' {
  interface PublishedValues {
    /** Per store, the bytes a remote flow leaves on the replicas' shared host (and in Redis), judged. */
    'remote-footprint': RemoteFootprintPublished;
  }
}

export const remoteFootprintMeasurement = defineMeasurement({
  id: 'c5-remote-footprint',
  needs: ['remote-server'],
  run: (ctx) => runRemoteFootprint(ctx),
  check: (recorded: RemoteFootprintResult) => ({
    published: { 'remote-footprint': { ...recorded, judged: recorded.stores.map((store) => ({ store: store.store, ...judgeRemoteFootprint(store) })) } },
  }),
});
