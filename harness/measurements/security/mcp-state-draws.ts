/** States drawn through the real MCP tool, as many as a time budget allows, for the entropy and uniqueness checks. */
import type { DeploymentPool, PooledDeployment } from '../../deploy/deployment-pool.ts';
import { analyseStates, type StateEntropy } from './state-entropy.ts';

export interface McpDraws {
  requested: number;
  drawn: number;
  /** Ended by the time budget before reaching `requested`. */
  timeBoxed: boolean;
  budgetMs: number;
  concurrency: number;
  durationMs: number;
  drawsPerSecond: number;
  toolErrors: number;
  entropy: StateEntropy;
}

/** Calls of the start tool in flight at once: enough to keep one tool process busy. */
const DRAW_CONCURRENCY = 8;

export async function drawViaMcp(pool: DeploymentPool, pd: PooledDeployment, requested: number, budgetMs: number): Promise<{ draws: McpDraws; urls: string[] }> {
  const { target } = pool.ctx;
  const states: string[] = [];
  const urls: string[] = [];
  let toolErrors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + budgetMs;
  pd.history.record({ type: 'invoke', f: 'draw-states', process: `tool#${pd.deployment.toolPid}`, value: { requested, budgetMs } });
  await Promise.all(
    Array.from({ length: DRAW_CONCURRENCY }, async () => {
      while (issued < requested && performance.now() < deadline) {
        issued += 1;
        try {
          const result = await pd.deployment.tool.call(target.tools.startFlow, { ...target.tools.startFlowArgs });
          const authUrl = result.isError ? undefined : target.authorizeUrlFrom(result);
          const state = authUrl ? new URL(authUrl).searchParams.get('state') : null;
          if (!authUrl || state === null) {
            toolErrors += 1;
            continue;
          }
          states.push(state);
          urls.push(authUrl);
          const challenge = new URL(authUrl).searchParams.get('code_challenge');
          if (challenge) pool.challenges.add(challenge);
        } catch {
          toolErrors += 1;
        }
      }
    }),
  );
  const durationMs = performance.now() - started;
  const draws: McpDraws = {
    requested,
    drawn: states.length,
    timeBoxed: states.length + toolErrors < requested,
    budgetMs,
    concurrency: DRAW_CONCURRENCY,
    durationMs: Math.round(durationMs),
    drawsPerSecond: Math.round(states.length / (durationMs / 1000)),
    toolErrors,
    entropy: analyseStates(states),
  };
  pd.history.record({ type: 'ok', f: 'draw-states', process: `tool#${pd.deployment.toolPid}`, value: { drawn: draws.drawn, drawsPerSecond: draws.drawsPerSecond, toolErrors } });
  return { draws, urls };
}
