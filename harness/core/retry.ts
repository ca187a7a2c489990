/**
 * A step of the harness's own setup (starting a deployment, registering a
 * client at the mock) can fail for reasons that are the machine's, not the
 * target's: a busy CPU makes a readiness wait run out, a loopback connect is
 * refused while a listener is still coming up. Such a step is tried again,
 * a bounded number of times with a growing pause, each attempt told which
 * it is (so it can take a fresh label); if every attempt fails, the result
 * is a HarnessError carrying every attempt's cause, never the target's
 * failure.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describeError, HarnessError } from './harness-error.ts';

export interface RetryPolicy {
  /** What is being attempted, for the error: "start memory × split-process for hostile input". */
  what: string;
  /** Attempts in all, the first included. */
  attempts: number;
  /** Pause before the second attempt; doubles each time. */
  backoffMs: number;
  /** Told before each retry (for a progress line). */
  onRetry?: (attempt: number, error: unknown) => void;
  /** An error that retrying cannot help (a usage error, say): thrown at once as it is. */
  isFinal?: (error: unknown) => boolean;
}

/** Default for starting processes: three attempts, 0.5 s then 1 s apart. */
export const START_RETRY = { attempts: 3, backoffMs: 500 } as const;

export async function withRetries<T>(policy: RetryPolicy, step: (attempt: number) => Promise<T>): Promise<T> {
  const failures: unknown[] = [];
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (policy.isFinal?.(error)) throw error;
      failures.push(error);
      if (attempt < policy.attempts) {
        policy.onRetry?.(attempt, error);
        await delay(policy.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
  const last = failures.at(-1);
  const earlier = failures.slice(0, -1).map((error, index) => `attempt ${index + 1}: ${describeError(error)}`);
  throw new HarnessError(`${policy.what}: failed ${failures.length} times${earlier.length ? ` (${earlier.join('; ')})` : ''}`, { cause: last });
}
