/** The verdict on one hostile request: a pure function of what came back. */
import type { CaseOutcome } from '../measure-context.ts';
import type { HostileCaseResult } from './measure-hostile-input.ts';

// ---------------------------------------------------------------- verdicts

export interface CaseJudgement {
  outcome: CaseOutcome;
  problems: string[];
}

/** One case against one battery: a clear 4xx, nothing echoed unescaped, both processes alive, no hang. */
export function judgeCase(result: HostileCaseResult): CaseJudgement {
  const problems: string[] = [];
  if (result.status === null) problems.push(`no answer (${result.error ?? 'unknown'})`);
  else if (result.status < 400 || result.status >= 500) problems.push(`HTTP ${result.status}, not a 4xx`);
  if (result.findings.length > 0) problems.push(`echoed unescaped: ${result.findings.map((f) => `${f.kind} ${f.detail}`).join(', ')}`);
  if (!result.callbackAlive) problems.push('callback process died');
  if (!result.toolAlive) problems.push('tool process died');
  if (result.healthOk === false) problems.push('/health did not answer');
  return { outcome: problems.length === 0 ? 'pass' : 'fail', problems };
}
