/**
 * harness/measurements/topology-claims/: C1–C4, judged from the scenario cells.
 *
 * C1–C4 from the scenario cells: nothing to run, only to judge.
 */
import { defineMeasurement } from '../measurement.ts';
import { refineTopologyClaims, topologyClaims } from './topology-claims.ts';

export const topologyClaimsMeasurement = defineMeasurement({
  id: 'topology-claims',
  claimIds: ['C1', 'C2', 'C3', 'C4'],
  run: async () => null,
  check: (_recorded: null, { cells, writeUp }) => ({ claims: topologyClaims(cells, writeUp) }),
  refineClaims: refineTopologyClaims,
});
