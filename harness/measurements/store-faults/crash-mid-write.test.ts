/**
 * Regression: the write-up's json-file store loses every committed session
 * when the process dies inside a rewrite of the session file (it truncates
 * the file, then writes it whole, with no temp file + rename). A SIGKILL
 * injected by strace at the write of the 11th put must reproduce that, the
 * same way on every run.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { stopAllChildren } from '../../deploy/process/child-process.ts';
import { crashScript, judgeKill, killReadTarget, runCensus, runKill, spread } from './crash-mid-write.ts';
import { createFaultContext } from './fault-context.ts';
import { readInFreshProcess } from './fresh-reader.ts';
import { probeStrace } from './strace-injection.ts';

const runDir = mkdtempSync(path.join(os.tmpdir(), 'faults-crash-gate-'));
chmodSync(runDir, 0o755);

afterAll(async () => {
  await stopAllChildren({ graceMs: 100 });
  rmSync(runDir, { recursive: true, force: true });
});

describe('crash mid-write', () => {
  test('json-file: a SIGKILL inside the write of put #10 leaves the file empty and every committed session lost', async () => {
    const ctx = createFaultContext({ store: 'json-file', runDir, quick: true });
    const strace = await probeStrace(path.join(runDir, 'strace-probe'), ctx.logDir);
    if (!strace.usable) throw new Error(`strace injection is required by this gate: ${strace.why}`);

    const census = await runCensus(ctx, strace.mode);
    // One write per put or take: the write-up's store rewrites the whole file every time.
    expect(census.writes.length).toBe(crashScript('x').length - 1);
    const put10 = census.ops.findIndex((op) => op.f === 'put' && op.index === 10);
    const write = census.writes.find((candidate) => candidate.op === put10);
    expect(write, 'the census saw the write of put #10').toBeDefined();

    const kill = await runKill(ctx, census, write!);
    const { results } = await readInFreshProcess(ctx, 'gate-crash-reader', census.seed, [killReadTarget(kill)]);
    const trial = judgeKill(kill, census, { format: 'write-up-json', mainFile: 'sessions.json' }, results.get(kill.folder));

    expect(trial).toMatchObject({ landed: true, landedOn: 'sessions.json', during: 'put #10', file: 'empty' });
    // Puts #0..#9 acknowledged, #1 and #5 taken: eight committed, all gone.
    expect(trial.committed).toBe(8);
    expect(trial.lost).toHaveLength(8);
  });
});

describe('kill point selection', () => {
  test('spreads the points over the script, first and last write included', () => {
    const writes = Array.from({ length: 60 }, (_, i) => i + 1);
    const picked = spread(writes, 12);
    expect(picked).toHaveLength(12);
    expect(picked[0]).toBe(1);
    expect(picked.at(-1)).toBe(60);
    expect(spread(writes, 100)).toEqual(writes);
  });
});
