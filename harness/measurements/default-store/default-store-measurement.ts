/**
 * harness/measurements/default-store/: which store the target uses when given none.
 *
 * Which store the target uses unconfigured: "Which fix to ship" checks it against the recommendation.
 */
import type { Measurement } from '../measurement.ts';
import { measureDefaultStore } from './src-default-store.ts';

export const defaultStoreMeasurement: Measurement<{ store: string }> = {
  id: 'src-default-store',
  notApplicable: (target) => (target.statusTool ? undefined : 'the target has no status tool that names its store'),
  run: (ctx) => measureDefaultStore(ctx),
};
