/** The provider-fault rows of "Reliability and security", from the judged cases. */
import { reproCommand, type ReliabilityRow } from '../measure-context.ts';
import { notRunCell } from '../setup-error.ts';
import { judgeFault } from './judge-provider-fault.ts';
import type { ProviderFaultsResult } from './measure-provider-faults.ts';
import { PROVIDER_FAULT_CASES } from './provider-fault-cases.ts';

const quote = (text: string, max = 220) => `«${text.length > max ? `${text.slice(0, max)}…` : text}»`;

export function providerFaultRows(result: ProviderFaultsResult): ReliabilityRow[] {
  const command = reproCommand(result.quick);
  const rows: ReliabilityRow[] = [];
  const survival: ReliabilityRow['perStore'] = {};
  for (const caseId of result.caseIds) {
    const fault = PROVIDER_FAULT_CASES.find((c) => c.id === caseId)!;
    const perStore: ReliabilityRow['perStore'] = {};
    for (const store of result.stores) {
      const r = result.results.find((x) => x.caseId === caseId && x.store === store);
      if (!r) {
        perStore[store] = notRunCell(result.errors, store, 'no result');
        continue;
      }
      const judged = judgeFault(r, fault, result.httpTimeoutMs);
      const parts = [
        r.topology !== 'split-process' ? `(${r.topology})` : '',
        r.faulted ? `HTTP ${r.faulted.status} ${r.faulted.outcome} in ${r.faulted.durationMs} ms: ${quote(r.faulted.message)}` : '',
        r.retry ? `retry (${r.retry.how}): HTTP ${r.retry.status} ${r.retry.outcome} → state ${judged.stateSurvived ? 'survived' : 'did not survive'}` : '',
        r.note ?? '',
        ...judged.problems,
      ].filter(Boolean);
      perStore[store] = { outcome: judged.outcome, detail: parts.join('; ') };
    }
    rows.push({ id: `provider-fault/${caseId}`, group: 'provider-fault', what: `${fault.what}; knobs ${JSON.stringify(fault.knobs(result.httpTimeoutMs))}, client timeout ${result.httpTimeoutMs} ms`, perStore, command });
  }
  for (const store of result.stores) {
    const retried = result.results.filter((r) => r.store === store && r.retry);
    if (retried.length === 0) {
      const broken = result.results.filter((r) => r.store === store && r.error).map((r) => `${r.caseId}: ${r.error!.split('\n')[0]}`);
      survival[store] = broken.length
        ? { outcome: 'unknown', detail: `no retry made: ${broken.join('; ')}` }
        : { outcome: 'n/a', detail: 'no retry to make: no case that ran left the user with a failed flow' };
      continue;
    }
    const survived = retried.filter((r) => r.retry!.outcome === 'success').map((r) => r.caseId);
    const lost = retried.filter((r) => r.retry!.outcome !== 'success').map((r) => `${r.caseId} (${r.retry!.outcome})`);
    // Recorded, not judged: whether a state should outlive a failed exchange is
    // a design choice (single use vs retry), so neither answer may count as a pass.
    survival[store] = {
      outcome: 'recorded',
      detail: `state survived for a retry after: ${survived.join(', ') || 'none'}; consumed by the failed attempt: ${lost.join(', ') || 'none'}`,
    };
  }
  rows.push({
    id: 'provider-fault/state-survives-retry',
    group: 'provider-fault',
    what: 'after each fault, with the mock restored: can the user retry with the URL they have (recorded, not judged)',
    perStore: survival,
    command,
  });
  return rows;
}
