/**
 * The conformance suite's results of the remote cells, each against its
 * expected failures. Pure.
 *
 * Where the scenario expects the cell's flows to complete, the expected
 * failures are the server's own gaps: what the suite failed through a
 * single replica (the table's one-replica, no-event scenario, same store).
 * Where it expects them to break, no token can be had and every request is
 * refused: every scenario is expected to fail.
 */
import { splitByBaseline, type ExpectedFailures } from '../deploy/remote/conformance/expected-failures.ts';
import type { RemoteCellResult, RemoteConformance } from '../core/remote-cell-result.ts';
import type { RemoteScenario } from '../core/remote-scenario.ts';

/** The scenario that serves as the server's own baseline: one replica and nothing done to it. */
export function isSingleReplicaControl(scenario: Pick<RemoteScenario, 'replicas' | 'events'>): boolean {
  return scenario.replicas === 1 && scenario.events.length === 0;
}

export function judgeConformance(cells: readonly RemoteCellResult[], scenarios: readonly RemoteScenario[]): RemoteCellResult[] {
  const control = scenarios.find(isSingleReplicaControl);
  return cells.map((cell) => {
    const suite = cell.conformance;
    if (!suite || suite.notRun || suite.scenarios.length === 0) return cell;
    let expected: ExpectedFailures;
    let expectedFrom: string;
    if (cell.expected.outcome === 'fail') {
      expected = Object.fromEntries(suite.scenarios.map((s) => [s.name, 'expected-fail' as const]));
      expectedFrom = 'every scenario: the flows are expected to break, so no bearer token can be had';
    } else {
      const reference = control && cells.find((other) => other.scenario === control.name && other.store === cell.store && other.conformance && !other.conformance.notRun && other.conformance.scenarios.length > 0);
      if (!reference?.conformance) return cell;
      // The control judges nothing: its failures are what the others are read against.
      if (reference === cell) return { ...cell, conformance: { ...suite, control: true } };
      expected = Object.fromEntries(reference.conformance.scenarios.filter((s) => s.outcome !== 'pass').map((s) => [s.name, 'expected-fail' as const]));
      expectedFrom = `the failures through a single replica (${reference.scenario}): the server's own gaps`;
    }
    const split = splitByBaseline(suite, expected);
    const judged: RemoteConformance['judged'] = {
      expectedFrom,
      expectedFailures: Object.keys(expected).length,
      unexpectedFail: split.unexpectedFail.map((s) => s.name),
      unexpectedPass: split.unexpectedPass.map((s) => s.name),
      matched: split.unexpectedFail.length === 0 && split.unexpectedPass.length === 0,
    };
    return { ...cell, conformance: { ...suite, judged } };
  });
}
