import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BURNER_LEDGER_VARIABLE, burnerLedgerCpuMs, startCpuBurner } from './cpu-burner.ts';
import { processesCpuMs } from './process-cpu.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'cpu-burner-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Resolves once the burners have had `ms` of CPU between them: what they got, read from /proc, not a sleep. */
async function burnedAtLeast(pids: readonly number[], ms: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((processesCpuMs(pids) ?? 0) < ms) {
    if (Date.now() > deadline) throw new Error(`burners ${pids.join(', ')} had less than ${ms} ms of CPU in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the burners write the CPU they got to the ledger named in the environment', () => {
  it('one line per stop, the figure stop() returns; the ledger sums them', async () => {
    const ledger = path.join(scratch, 'ledger.jsonl');
    const before = process.env[BURNER_LEDGER_VARIABLE];
    process.env[BURNER_LEDGER_VARIABLE] = ledger;
    try {
      const got: number[] = [];
      for (let i = 0; i < 2; i++) {
        const burner = await startCpuBurner({ logDir: scratch, maxMs: 60_000, workers: 1 });
        await burnedAtLeast(burner.pids, 100);
        const burnt = await burner.stop();
        expect(burnt.cpuMs).toBeGreaterThanOrEqual(100);
        got.push(burnt.cpuMs);
      }
      expect(burnerLedgerCpuMs(ledger)).toBe(got[0]! + got[1]!);
    } finally {
      if (before === undefined) delete process.env[BURNER_LEDGER_VARIABLE];
      else process.env[BURNER_LEDGER_VARIABLE] = before;
    }
  });

  it('without the variable nothing is written; a ledger no burner wrote to is 0; a line that is not a record is an error', async () => {
    const ledger = path.join(scratch, 'unset.jsonl');
    const before = process.env[BURNER_LEDGER_VARIABLE];
    delete process.env[BURNER_LEDGER_VARIABLE];
    try {
      const burner = await startCpuBurner({ logDir: scratch, maxMs: 60_000, workers: 1 });
      await burner.stop();
    } finally {
      if (before !== undefined) process.env[BURNER_LEDGER_VARIABLE] = before;
    }
    expect(burnerLedgerCpuMs(ledger)).toBe(0);
    writeFileSync(ledger, '{"cpuMs":12}\n{"wallMs":3}\n');
    expect(() => burnerLedgerCpuMs(ledger)).toThrow(/not a burner's record: \{"wallMs":3\}/);
  });
});
