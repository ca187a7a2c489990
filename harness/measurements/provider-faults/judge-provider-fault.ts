/**
 * The verdict on one provider fault: a pure function of what the user saw
 * and what stayed alive. Whether the page reports a failure is read from
 * the target's own success page (its description), never from the status
 * code alone: many servers answer 200 for every page.
 */
import type { CaseOutcome } from '../measure-context.ts';
import type { ProviderFaultResult } from './measure-provider-faults.ts';
import type { ProviderFaultCase } from './provider-fault-cases.ts';

// ---------------------------------------------------------------- verdicts

/**
 * The page passes on what the provider itself answered: its error code as a word (GitHub's
 * bad_verification_code, Atlassian's invalid_grant), or its description whole. Each provider has
 * its own vocabulary for a refusal; a page that relays it tells the user what happened.
 */
export function relaysProvider(message: string, answer: ProviderFaultResult['providerAnswer']): boolean {
  if (!answer) return false;
  const words = message.toLowerCase();
  const code = answer.error.toLowerCase();
  const asWord = new RegExp(`(^|[^a-z0-9_])${code.replace(/[^a-z0-9_]/g, '\\$&')}($|[^a-z0-9_])`);
  return asWord.test(words) || (answer.errorDescription !== undefined && answer.errorDescription.length >= 8 && words.includes(answer.errorDescription.toLowerCase()));
}

export interface FaultJudgement {
  outcome: CaseOutcome;
  problems: string[];
  /** true: the retry completed the flow; false: it did not; undefined: no retry was needed or made. */
  stateSurvived?: boolean;
}

export function judgeFault(result: ProviderFaultResult, fault: ProviderFaultCase, httpTimeoutMs: number): FaultJudgement {
  const problems: string[] = [];
  if (result.error) problems.push(`harness could not run the case: ${result.error}`);
  const visit = result.faulted;
  if (visit) {
    if (fault.expectSuccess) {
      if (visit.outcome !== 'success') problems.push(`expected the flow to complete, got HTTP ${visit.status} ${visit.outcome}`);
    } else {
      if (visit.outcome === 'success') problems.push(`HTTP ${visit.status}: the target's success page, though the provider failed`);
      const clear = fault.clearMessage.test(visit.message) || relaysProvider(visit.message, result.providerAnswer);
      if (visit.status >= 500 && /internal|unexpected/i.test(visit.message) && !clear) problems.push('generic internal error');
      if (!clear) problems.push(`message does not say what happened (expected ${fault.clearMessage}${result.providerAnswer ? ` or the provider's own answer, ${result.providerAnswer.error}` : ''})`);
    }
    // A hang would show as an answer slower than the client's own timeout plus slack.
    if (visit.durationMs > httpTimeoutMs * 2 + 2000) problems.push(`answered after ${visit.durationMs} ms (timeout ${httpTimeoutMs} ms): hangs`);
  } else if (!result.error) {
    problems.push('no answer recorded');
  }
  if (!result.alive.tool) problems.push('tool process died');
  if (!result.alive.callback) problems.push('callback process died');
  if (result.alive.health === false) problems.push('/health did not answer');
  if (!result.alive.mcp) problems.push('tool process no longer answers MCP');
  const stateSurvived = result.retry ? result.retry.outcome === 'success' : undefined;
  return { outcome: result.error && !visit ? 'unknown' : problems.length === 0 ? 'pass' : 'fail', problems, ...(stateSurvived !== undefined ? { stateSurvived } : {}) };
}
