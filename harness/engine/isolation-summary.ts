/** How this run simulates hosts, as the results document records it (hosts.ts probes it once). */
import { isolationCaveat, isolationMode } from '../deploy/hosts.ts';
import type { ResultsDocument } from '../results/results-document.ts';

export function isolationSummary(): ResultsDocument['isolation'] {
  const mode = isolationMode();
  const caveat = isolationCaveat(mode);
  return { mode: mode.kind, detail: mode.kind === 'mount-namespace' ? mode.how : mode.why, ...(caveat ? { caveat } : {}) };
}
