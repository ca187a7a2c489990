import { describe, expect, test } from 'vitest';
import { createProgress, formatElapsed, statusText } from './progress.ts';

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 60, write: (chunk: string) => (chunks.push(chunk), true) } };
}

describe('progress', () => {
  test('not a terminal: plain lines, as a CI log wants them, and no control characters', () => {
    const { chunks, stream } = recorder(false);
    const progress = createProgress(stream);
    progress.phase('cells', 2);
    progress.note('split-process.memory: processes up (tool 1, callback 2)');
    progress.line('[1/2] split-process × memory: fail at state-lookup — as expected (3.1 s)');
    progress.stop();
    expect(chunks.join('')).toBe('  … split-process.memory: processes up (tool 1, callback 2)\n[1/2] split-process × memory: fail at state-lookup — as expected (3.1 s)\n');
  });

  test('a terminal: one live line redrawn in place, kept lines above it, erased at the end', () => {
    const { chunks, stream } = recorder(true);
    let clock = 0;
    const progress = createProgress(stream, { now: () => clock, redrawMs: 60_000 });
    progress.phase('cells', 24);
    clock = 2500;
    progress.note('split-process.sqlite: processes up (tool 1, callback 2)');
    const live = chunks.at(-1)!;
    expect(live.startsWith('\r\u001b[2K')).toBe(true);
    expect(live).toContain('cells 0/24 · 2.5 s · split-process.sqlite: processes up');
    expect(live.includes('\n')).toBe(false);
    expect(live.length - '\r\u001b[2K'.length).toBeLessThanOrEqual(59); // never wraps on a 60-column terminal
    progress.step();
    progress.line('[1/24] split-process × sqlite: pass — as expected (3.0 s)');
    expect(chunks.slice(-3)).toEqual(['\r\u001b[2K', '[1/24] split-process × sqlite: pass — as expected (3.0 s)\n', expect.stringContaining('cells 1/24')]);
    progress.stop();
    expect(chunks.at(-1)).toBe('\r\u001b[2K');
  });

  test('a terminal: measurements are counted from their announcements, and the finished ones kept', () => {
    const { chunks, stream } = recorder(true);
    const progress = createProgress(stream, { now: () => 0, redrawMs: 60_000 });
    progress.phase('cells', 1);
    progress.expectMeasurements(3);
    progress.note('measuring c8-concurrency (quick)…');
    progress.note('measuring hostile-input (quick)…');
    expect(chunks.at(-1)).toContain('measurements 0/3 · 0.0 s · c8-concurrency, hostile-input');
    progress.note('bench: not applicable to x: needs a store module');
    progress.note('measured c8-concurrency in 4.2 s');
    expect(chunks).toContain('  measured c8-concurrency in 4.2 s\n');
    expect(chunks.at(-1)).toContain('measurements 2/3 · 0.0 s · hostile-input');
    progress.passThrough('repro: skipping the redis rows: redis-server is not installed\n');
    expect(chunks.slice(-3)).toEqual(['\r\u001b[2K', 'repro: skipping the redis rows: redis-server is not installed\n', expect.stringContaining('measurements 2/3')]);
    progress.stop();
  });

  test('elapsed reads as seconds, then minutes', () => {
    expect([formatElapsed(900), formatElapsed(59_940), formatElapsed(146_000)]).toEqual(['0.9 s', '59.9 s', '2 min 26 s']);
    expect(statusText({ phase: 'cells', done: 3, total: 24, running: [], elapsedMs: 1000 })).toBe('cells 3/24 · 1.0 s');
  });
});
