/** The virtual clock's moves are the nemesis's operations in the history that the probes are recorded in. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { History } from '../../core/history.ts';
import { VirtualClock } from './virtual-clock.ts';

describe('VirtualClock', () => {
  it('records every advance and skew in the history, with what the processes now see', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'virtual-clock-test-'));
    const clock = new VirtualClock(path.join(dir, 'clock.json'));
    const history = new History();
    clock.recordTo(history);
    await clock.advanceBy(901_000);
    clock.setSkew(4242, -120_000);
    expect(JSON.parse(readFileSync(path.join(dir, 'clock.json'), 'utf8'))).toEqual({ offsetMs: 901_000, skewMsByPid: { '4242': -120_000 } });
    expect(history.ops.map((op) => [op.type, op.f, op.process, op.value])).toEqual([
      ['info', 'clock-advance', 'nemesis', { byMs: 901_000, offsetMs: 901_000, servers: 0 }],
      ['info', 'clock-skew', 'nemesis', { pid: 4242, skewMs: -120_000 }],
    ]);
  });
});
