/**
 * The target's health endpoint, when it has one: a process that still
 * answers is alive. A busy machine must not make a live process look dead,
 * so a silent endpoint is asked again with twice the wait, then four times,
 * and the first wait is itself 10 × the p99 of that endpoint's earlier
 * answers in this run (2 s at least). A process found silent through all of
 * that is remembered, so the checks after it cost one wait, not three.
 */
import { AnswerTimes } from '../../core/pace.ts';

export const HEALTH_PATH = '/health';

/** The first wait before any answer was seen: the quiet machine's bound. */
const FIRST_WAIT_MS = 2000;
const ROUNDS = 3;

const answers = new Map<string, AnswerTimes>();
const silent = new Set<string>();

export async function health(base: string, path: string | null = HEALTH_PATH): Promise<boolean | 'no-endpoint'> {
  if (path === null) return 'no-endpoint';
  const url = new URL(path, base).href;
  const times = answers.get(url) ?? new AnswerTimes();
  answers.set(url, times);
  const rounds = silent.has(url) ? 1 : ROUNDS;
  let wait = times.budgetMs(FIRST_WAIT_MS);
  for (let round = 1; round <= rounds; round++) {
    const started = performance.now();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(wait) });
      await response.arrayBuffer();
      times.record(performance.now() - started);
      silent.delete(url);
      if (response.status === 404) return 'no-endpoint';
      return response.ok;
    } catch (error) {
      // Refused: nothing listens any more, and waiting longer will not bring it back. A reset (a stale keep-alive socket) or a timeout is asked again.
      if (refused(error)) {
        silent.add(url);
        return false;
      }
      wait *= 2;
    }
  }
  silent.add(url);
  return false;
}

function refused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}
