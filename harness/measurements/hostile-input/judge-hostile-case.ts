/**
 * The verdict on one hostile request: a pure function of what came back,
 * judged on what any server shows, not on one server's wording or status
 * codes (many servers answer 200 for every page):
 *
 * - refused: the answer is not the target's success page, and the provider
 *   redeemed no code for a state the request carried (another user's flow,
 *   a callback already used);
 * - nothing from the request came back unescaped (the echo scan);
 * - both processes alive, the health endpoint answering, an answer at all.
 *
 * A case whose provider record could not be read, and that nothing else
 * failed, is unknown: a refusal needs that evidence too.
 */
import type { CaseOutcome } from '../measure-context.ts';
import type { HostileCaseResult } from './measure-hostile-input.ts';

export interface CaseJudgement {
  outcome: CaseOutcome;
  problems: string[];
}

export function judgeCase(result: HostileCaseResult): CaseJudgement {
  const problems: string[] = [];
  if (result.status === null) problems.push(`no answer (${result.error ?? 'unknown'})`);
  if (result.page?.outcome === 'success') problems.push("accepted: the answer is the target's success page");
  if (result.provider?.readable && result.provider.newRedemptions > 0) problems.push(`a code was redeemed at the provider for a state the request carried (${result.provider.detail})`);
  else if (result.provider?.readable && result.provider.newlyRevoked) problems.push(`the provider revoked a user's tokens during the case (${result.provider.detail})`);
  if (result.findings.length > 0) problems.push(`echoed unescaped: ${result.findings.map((f) => `${f.kind} ${f.detail}`).join(', ')}`);
  if (!result.callbackAlive) problems.push('callback process died');
  if (!result.toolAlive) problems.push('tool process died');
  if (result.healthOk === false) problems.push('/health did not answer');
  if (problems.length > 0) return { outcome: 'fail', problems };
  if (!result.provider) return { outcome: 'unknown', problems: ["the provider's record was not read"] };
  if (!result.provider.readable) return { outcome: 'unknown', problems: [`the provider's record could not be read (${result.provider.why})`] };
  return { outcome: 'pass', problems };
}
