/**
 * harness/measurements/topology-claims/: C1–C4, judged from the scenario cells.
 *
 * C1–C4 from the scenario cells: nothing to run, only to judge.
 */
import type { Measurement } from '../measurement.ts';
import { refineTopologyClaims, topologyClaims } from './topology-claims.ts';

export const topologyClaimsMeasurement: Measurement<null> = {
  id: 'topology-claims',
  claimIds: ['C1', 'C2', 'C3', 'C4'],
  run: async () => null,
  claims: (_raw, cells) => topologyClaims(cells),
  refineClaims: refineTopologyClaims,
};
