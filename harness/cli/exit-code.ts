/** The exit code of `npm run repro`, from each target's verdicts: pure, so the gate's contract is tested without running a battery. */
import type { GateVerdict } from '../results/gate-verdict.ts';

export const EXIT = { matched: 0, mismatch: 1, harnessFailed: 2, usage: 64 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A harness failure (a cell that could not run, a measurement that crashed) outranks the gate: the run cannot vouch for anything. */
export function targetExitCode(verdict: { harnessErrors: number; measurementErrors: number }, gate: Pick<GateVerdict, 'passed'>): ExitCode {
  if (verdict.harnessErrors > 0 || verdict.measurementErrors > 0) return EXIT.harnessFailed;
  return gate.passed ? EXIT.matched : EXIT.mismatch;
}

/** The worst outcome of any target: a harness failure outranks a failed gate; no target run at all is a usage problem. */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  if (codes.includes(EXIT.harnessFailed)) return EXIT.harnessFailed;
  if (codes.includes(EXIT.mismatch)) return EXIT.mismatch;
  return codes.length ? EXIT.matched : EXIT.usage;
}
