/**
 * What each reliability and security row is expected to show per store, so
 * the exit code can gate on them as it gates on the scenario table.
 *
 * The rule is computed from the rows and the stores' profiles, never typed
 * per row: cases that exercise the callback page or the OAuth client (hostile
 * input, provider faults) do not depend on the store, so every store is
 * expected to pass them; faults and security cases are expected to pass for
 * every store except the write-up's designs, whose failures are the findings
 * this project exists to show. This is the gate of a target's first run,
 * before it has a verdict baseline; accepted failures, each with its reason,
 * live in the baseline (verdict-baseline.ts), not here.
 */
import type { CaseOutcome, ReliabilityRow } from '../measurements/measure-context.ts';
import { WRITE_UP_STORE } from '../measurements/store-bench/store-claims.ts';
import type { StoreProfile } from '../core/store-profile.ts';

/** The groups `--fail-on` chooses among; claims and grading are gated against a verdict baseline only (without one they are findings). */
export const GATE_GROUPS = ['scenarios', 'claims', 'security', 'reliability', 'grading'] as const;
export type GateGroup = (typeof GATE_GROUPS)[number];

/** Hostile input probes the callback page (escaping, status codes): a security question. Faults and provider faults are reliability. */
export function gateGroupOf(group: ReliabilityRow['group']): 'security' | 'reliability' {
  return group === 'security' || group === 'hostile-input' || group === 'browser' ? 'security' : 'reliability';
}

export interface RowExpectation {
  row: string;
  store: string;
  gateGroup: 'security' | 'reliability';
  /** 'fail': a known failure (the reason says why); a pass then is reported as unexpected, never gated. */
  expected: 'pass' | 'fail';
  why: string;
}

export interface KnownFailure {
  row: string;
  store: string;
  why: string;
}

/** Why a store's fault and security failures are findings rather than regressions, or undefined for a store we ship as a fix. */
export function writeUpDesign(store: string, profile: StoreProfile | undefined): string | undefined {
  if (profile?.reach === 'process') return 'a process-reach store is the original bug (a static Map): its fault and security failures are the findings';
  if (store === WRITE_UP_STORE) return "the write-up's fix, flaws kept on purpose: its fault and security failures are the findings";
  return undefined;
}

const RECORDED_ONLY: readonly CaseOutcome[] = ['recorded'];

/**
 * One expectation per row × store that has one. Rows recorded without a
 * verdict get none; an expectation on a case that turns out n/a stays out of
 * the gate (it could not have failed).
 */
export function rowExpectations(
  rows: readonly ReliabilityRow[],
  profiles: Readonly<Record<string, StoreProfile>>,
  known: readonly KnownFailure[] = [],
): RowExpectation[] {
  const expectations: RowExpectation[] = [];
  for (const row of rows) {
    const gateGroup = gateGroupOf(row.group);
    for (const [store, result] of Object.entries(row.perStore)) {
      if (RECORDED_ONLY.includes(result.outcome)) continue;
      const knownFailure = known.find((k) => k.row === row.id && k.store === store);
      if (row.group === 'hostile-input' || row.group === 'provider-fault' || row.group === 'browser') {
        expectations.push(
          knownFailure
            ? { row: row.id, store, gateGroup, expected: 'fail', why: `known failure: ${knownFailure.why}` }
            : { row: row.id, store, gateGroup, expected: 'pass', why: `${row.group === 'provider-fault' ? 'the OAuth client' : 'the callback page'} does not depend on the store: every store is expected to pass` },
        );
        continue;
      }
      if (writeUpDesign(store, profiles[store])) continue;
      expectations.push(
        knownFailure
          ? { row: row.id, store, gateGroup, expected: 'fail', why: `known failure: ${knownFailure.why}` }
          : { row: row.id, store, gateGroup, expected: 'pass', why: `a store we ship as a fix is expected to pass every ${row.group === 'fault' ? 'fault' : 'security'} case that applies to it` },
      );
    }
  }
  return expectations;
}
