/**
 * harness/measurements/default-store/: which store the target uses when given none.
 *
 * Which store the target uses unconfigured: "Which fix to ship" checks it against the recommendation.
 */
import { defineMeasurement } from '../measurement.ts';
import { measureDefaultStore } from './src-default-store.ts';

declare module '../published-values.ts' {
  interface PublishedValues {
    /** The store the target uses when it is given none, as its status tool names it. */
    'default-store': { store: string };
  }
}

export const defaultStoreMeasurement = defineMeasurement({
  id: 'src-default-store',
  needs: ['status-tool'],
  run: (ctx) => measureDefaultStore(ctx),
  check: (recorded: { store: string }) => ({ published: { 'default-store': { store: recorded.store } } }),
});
