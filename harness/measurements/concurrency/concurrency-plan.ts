/**
 * How many flows run at each concurrency level. The full plan meets the
 * issue's "at least 2,000 flows at the top level"; the quick one fits
 * `npm run repro`'s budget and says so in the report.
 */
export interface ConcurrencyLevelPlan {
  /** Flows in flight at once. */
  concurrency: number;
  /** Flows run at this level. */
  flows: number;
}

export const QUICK_CONCURRENCY_PLAN: readonly ConcurrencyLevelPlan[] = [
  { concurrency: 1, flows: 5 },
  { concurrency: 4, flows: 12 },
  { concurrency: 16, flows: 32 },
  { concurrency: 64, flows: 96 },
];

export const FULL_CONCURRENCY_PLAN: readonly ConcurrencyLevelPlan[] = [
  { concurrency: 1, flows: 200 },
  { concurrency: 4, flows: 500 },
  { concurrency: 16, flows: 1_000 },
  { concurrency: 64, flows: 2_000 },
];
