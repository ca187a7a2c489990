/**
 * harness/measurements/topology-claims/: C1–C4, judged from the scenario cells.
 *
 * C1–C4 from the scenario cells: nothing to run, only to judge.
 */
import { defineMeasurement } from '../measurement.ts';
import { refineTopologyClaims, topologyClaims } from './topology-claims.ts';

/** The scenario table is the same in both runs: its cells are the whole evidence. */
const TABLE_EVIDENCE = { quick: "the scenario table's cells: whole flows through real processes in each topology, every flow judged at the stage it reached", benchAdds: '' };

export const topologyClaimsMeasurement = defineMeasurement({
  id: 'topology-claims',
  claimIds: ['C1', 'C2', 'C3', 'C4'],
  evidence: Object.fromEntries(['C1', 'C2', 'C3', 'C4'].map((id) => [id, TABLE_EVIDENCE])),
  run: async () => null,
  check: (_recorded: null, { cells, writeUp }) => ({ claims: topologyClaims(cells, writeUp) }),
  refineClaims: refineTopologyClaims,
});
