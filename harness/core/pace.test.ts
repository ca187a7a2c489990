import { describe, expect, it } from 'vitest';
import { AnswerTimes, paceOfCells, paceTimeout } from './pace.ts';

const cell = (p95: number | undefined, samples = 3) => ({ latencyMs: { p95, samples } });

describe('paceOfCells', () => {
  it('is the median cell p95, leaving out the cells slow by design', () => {
    expect(paceOfCells([cell(100), cell(120), cell(4000), cell(110), cell(90)])).toEqual({ flowP95Ms: 110, flows: 15 });
  });

  it('is undefined when no flow completed', () => {
    expect(paceOfCells([cell(undefined, 0)])).toBeUndefined();
  });
});

describe('paceTimeout', () => {
  it('keeps the quiet value on a quiet machine and grows with a slow one', () => {
    expect(paceTimeout(2000, { flowP95Ms: 120, flows: 40 })).toBe(2000);
    expect(paceTimeout(2000, { flowP95Ms: 900, flows: 40 })).toBe(9000);
    expect(paceTimeout(2000, undefined)).toBe(2000);
  });
});

describe('AnswerTimes', () => {
  it('budgets 10 × the p99 of what it saw, never below the floor', () => {
    const times = new AnswerTimes();
    expect(times.budgetMs(5000)).toBe(5000);
    for (let i = 1; i <= 100; i++) times.record(i * 10);
    expect(times.p99()).toBe(990);
    expect(times.budgetMs(5000)).toBe(9900);
    expect(times.describeBudget(5000)).toBe('9900 ms = 10 × p99 990 ms over 100 answers');
  });

  it('follows the load: only the latest answers count', () => {
    const times = new AnswerTimes(10);
    for (let i = 0; i < 10; i++) times.record(3000);
    for (let i = 0; i < 10; i++) times.record(20);
    expect(times.budgetMs(1000)).toBe(1000);
  });
});
