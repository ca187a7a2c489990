/** C8's figures for one level of flows at once, from the summary of that level's history and its overlap. Pure. */
import type { FlowSummary } from '../../core/checkers/flow-outcomes.ts';
import type { ConcurrencyLevelResult, LevelOverlap } from './concurrency-result.ts';

const rate = (ok: number, failed: number) => (ok + failed === 0 ? undefined : ok / (ok + failed));

export function levelResult(concurrency: number, summary: FlowSummary, durationMs: number, historyFile: string, overlap?: LevelOverlap): ConcurrencyLevelResult {
  const lookupRate = rate(summary.stateLookups.ok, summary.stateLookups.failed);
  const handoffRate = rate(summary.tokenHandoffs.ok, summary.tokenHandoffs.failed);
  return {
    concurrency,
    flows: summary.flows,
    passed: summary.passed,
    stateLookups: summary.stateLookups,
    tokenExchanges: summary.tokenExchanges,
    tokenHandoffs: summary.tokenHandoffs,
    ...(lookupRate === undefined ? {} : { stateLookupRate: lookupRate }),
    ...(handoffRate === undefined ? {} : { tokenHandoffRate: handoffRate }),
    flowRate: summary.flows === 0 ? 0 : summary.passed / summary.flows,
    errors: summary.errors,
    durationMs,
    historyFile,
    ...(overlap ? { overlap } : {}),
  };
}
