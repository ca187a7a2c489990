/** The exit code of `npm run repro`, from each target's verdicts: pure, so the gate's contract is tested without running a battery. */
import type { GateVerdict } from '../results/gate-verdict.ts';

export const EXIT = { matched: 0, mismatch: 1, harnessFailed: 2, usage: 64 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Harness errors past the bound (--max-harness-errors, 0 by default) outrank
 * the gate: the run cannot vouch for what it did not run. Within the bound,
 * the cases they left unrun are out of the gate (never a pass) and the gate
 * decides.
 */
export function targetExitCode(harnessIncidents: number, gate: Pick<GateVerdict, 'passed'>, maxHarnessErrors = 0): ExitCode {
  if (harnessIncidents > maxHarnessErrors) return EXIT.harnessFailed;
  return gate.passed ? EXIT.matched : EXIT.mismatch;
}

/** The worst outcome of any target: a harness failure outranks a target that could not be judged (a bad baseline file), which outranks a failed gate; no target run at all is a usage problem. */
export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  if (codes.includes(EXIT.harnessFailed)) return EXIT.harnessFailed;
  // A target whose baseline file cannot be read was not judged at all: that is the user's file to fix, not a pass.
  if (codes.includes(EXIT.usage)) return EXIT.usage;
  if (codes.includes(EXIT.mismatch)) return EXIT.mismatch;
  return codes.length ? EXIT.matched : EXIT.usage;
}
