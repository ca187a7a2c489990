/**
 * harness/measurements/remote-load/: C8's "100% success" read across replicas: flows at once through two replicas behind a balancer.
 *
 * Publishes, per store and level, how many flows completed; the report's
 * remote section shows it and reads the write-up's file design from it.
 */
import { defineMeasurement } from '../measurement.ts';
import type { RemoteLoadResult } from './remote-load-result.ts';
import { runRemoteLoad } from './run-remote-load.ts';

declare module '../published-values.ts' {
  interface PublishedValues {
    /** Flows at once through two replicas on one shared host, round-robin: completed per store and level. */
    'remote-load': RemoteLoadResult;
  }
}

export const remoteLoadMeasurement = defineMeasurement({
  id: 'remote-load',
  needs: ['remote-server'],
  run: (ctx) => runRemoteLoad(ctx),
  check: (recorded: RemoteLoadResult) => ({ published: { 'remote-load': recorded } }),
});
